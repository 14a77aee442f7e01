import { testStorePerSuite } from '../store/testing/open-test-store.ts';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SqlDatabase } from '../store/index.ts';
import { migrations, openPglite } from '../store/testing/backends.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { recordAudit, type AuditEntry } from './audit.ts';
import { verifyAuditChain } from './audit-chain.ts';
import type { Principal } from './principal.ts';

const nurse: Principal = { kind: 'user', id: 'u-nia', display: 'Nia Nurse', roles: ['nurse'], scopes: [] };
const read: AuditEntry = { action: 'read', resourceType: 'Patient', patients: ['p1'], outcome: 'success' };

async function appendRows(db: SqlDatabase, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1)
    await recordAudit(db, { principal: nurse, context: { requestId: `r${i}` } }, read);
}

/** What a DBA with ALTER rights can do: switch the guard off, change history, switch it on. */
async function asDba(db: SqlDatabase, sql: string): Promise<void> {
  await db.exec(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
    ${sql};
    ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;`);
}

describeEachBackend('audit hash chain', (backend) => {
  const { db } = testStorePerSuite(backend);

  test('an intact chain verifies, odd text and rows written inside a transaction included', async () => {
    await recordAudit(
      db,
      { principal: nurse, context: { requestId: 'odd', remoteAddress: '::1' } },
      {
        ...read,
        patients: ['p1', 'p"2', 'p1'],
        detail: 'tab\there, "quotes", back\\slash, ünïcödé 😀, \u0001',
      },
    );
    await db.transaction((tx) =>
      recordAudit(tx, { context: { requestId: 'tx' } }, { ...read, outcome: 'denied' }),
    );
    await appendRows(db, 3);
    const result = await verifyAuditChain(db, 2);
    assert.equal(result.broken, undefined);
    assert.equal(result.rowsChecked, 5);
    assert.match(result.headHash, /^[0-9a-f]{64}$/);
  });

  test('the app cannot update, delete or truncate audit rows', async () => {
    await appendRows(db, 1);
    await assert.rejects(db.query(`UPDATE audit_log SET outcome = 'success'`), /append-only/);
    await assert.rejects(db.query('DELETE FROM audit_log'), /append-only/);
    await assert.rejects(db.query('TRUNCATE audit_log'), /append-only/);
    await assert.rejects(db.query('DELETE FROM audit_chain_head'), /append-only/);
    assert.equal((await verifyAuditChain(db)).broken, undefined);
  });

  test('concurrent writers, some inside transactions, keep one chain', async () => {
    const writes = Array.from({ length: 40 }, (_, i) =>
      i % 5 === 0
        ? db.transaction((tx) => recordAudit(tx, { principal: nurse, context: { requestId: `c${i}` } }, read))
        : recordAudit(db, { principal: nurse, context: { requestId: `c${i}` } }, read),
    );
    await Promise.all(writes);
    const result = await verifyAuditChain(db);
    assert.equal(result.broken, undefined);
  });
});

describeEachBackend('audit hash chain after tampering', (backend) => {
  /** A fresh log of five rows; each test tampers with its own. */
  const withLog = async (tamper: (db: SqlDatabase, ids: string[]) => Promise<string | undefined>) => {
    const db = await backend.open();
    try {
      await appendRows(db, 5);
      const ids = (await db.query<{ id: string }>('SELECT id FROM audit_log ORDER BY id')).rows.map(
        (r) => r.id,
      );
      return { expectedId: await tamper(db, ids), result: await verifyAuditChain(db) };
    } finally {
      await db.close();
    }
  };

  test('an altered row is the first broken one', async () => {
    const { expectedId, result } = await withLog(async (db, ids) => {
      await asDba(db, `UPDATE audit_log SET principal = 'someone-else' WHERE id = ${ids[1]}`);
      return ids[1];
    });
    assert.equal(result.broken?.id, expectedId);
    assert.match(result.broken?.reason ?? '', /altered/);
    assert.equal(result.rowsChecked, 2);
  });

  test('a deleted row breaks the chain at the row after it', async () => {
    const { expectedId, result } = await withLog(async (db, ids) => {
      await asDba(db, `DELETE FROM audit_log WHERE id = ${ids[2]}`);
      return ids[3];
    });
    assert.equal(result.broken?.id, expectedId);
    assert.match(result.broken?.reason ?? '', /removed or rewritten/);
  });

  test('a deleted first row is found too', async () => {
    const { expectedId, result } = await withLog(async (db, ids) => {
      await asDba(db, `DELETE FROM audit_log WHERE id = ${ids[0]}`);
      return ids[1];
    });
    assert.equal(result.broken?.id, expectedId);
  });

  test('rows cut off the end are found against the chain head', async () => {
    const { expectedId, result } = await withLog(async (db, ids) => {
      await asDba(db, `DELETE FROM audit_log WHERE id = ${ids[4]}`);
      return ids[4];
    });
    assert.equal(result.broken?.id, expectedId);
    assert.match(result.broken?.reason ?? '', /at the end/);
  });
});

describe('audit hash chain migration', () => {
  test('rows written before migration 007 are chained by it', async () => {
    const db = await openPglite();
    try {
      const chain = migrations.findIndex((migration) => migration.name === '007-audit-chain');
      for (const migration of migrations.slice(0, chain)) await db.exec(migration.sql);
      await appendRows(db, 3);
      for (const migration of migrations.slice(chain)) await db.exec(migration.sql);
      await appendRows(db, 2);
      const result = await verifyAuditChain(db);
      assert.equal(result.broken, undefined);
      assert.equal(result.rowsChecked, 5);
    } finally {
      await db.close();
    }
  });
});
