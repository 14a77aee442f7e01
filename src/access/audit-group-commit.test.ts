import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SqlDatabase } from '../store/index.ts';
import { postgresBackend, postgresSkipReason } from '../store/testing/backends.ts';
import { recordAudit, type AuditEntry } from './audit.ts';
import { verifyAuditChain } from './audit-chain.ts';

const read: AuditEntry = { action: 'read', resourceType: 'Patient', patients: ['p1'], outcome: 'success' };
const caller = (requestId: string) => ({ context: { requestId } });

describe('audit group commit [postgres]', { skip: postgresSkipReason }, () => {
  let db: SqlDatabase;
  before(async () => {
    db = await postgresBackend.open();
  });
  after(() => db.close());

  test('appends arriving during a write share the next commit, and each is durable when it resolves', async () => {
    const settled: string[] = [];
    const appends = Array.from({ length: 200 }, (_, i) =>
      recordAudit(db, caller(`g${i}`), read).then(() => settled.push(`g${i}`)),
    );
    await appends[0];
    // Once the first append resolved, its row is committed and readable.
    const first = await db.query(`SELECT 1 FROM audit_log WHERE request_id = 'g0'`);
    assert.equal(first.rows.length, 1);
    await Promise.all(appends);
    const rows = await db.query<{ requestId: string; tx: string }>(
      `SELECT request_id AS "requestId", xmin::text AS tx FROM audit_log WHERE request_id LIKE 'g%' ORDER BY id`,
    );
    assert.deepEqual(
      rows.rows.map((row) => row.requestId),
      Array.from({ length: 200 }, (_, i) => `g${i}`),
      'chain order is the order of the appends',
    );
    // Asked in one turn, they go as one commit (kernel/group-commit.ts); the first at most alone.
    const commits = new Set(rows.rows.slice(1).map((row) => row.tx));
    assert.equal(commits.size, 1, 'the 199 appends behind the first shared one commit');
    assert.equal(settled.length, 200);
    assert.equal((await verifyAuditChain(db)).broken, undefined);
  });

  test('a row PostgreSQL refuses fails only its own caller; the rest of its batch is written', async () => {
    const first = recordAudit(db, caller('b0'), read);
    const bad = recordAudit(db, caller('b1'), { ...read, detail: 'a NUL byte \u0000 is not text' });
    const rest = [2, 3, 4].map((i) => recordAudit(db, caller(`b${i}`), read));
    await first;
    await assert.rejects(bad);
    await Promise.all(rest);
    const rows = await db.query<{ requestId: string }>(
      `SELECT request_id AS "requestId" FROM audit_log WHERE request_id LIKE 'b%' ORDER BY id`,
    );
    assert.deepEqual(
      rows.rows.map((row) => row.requestId),
      ['b0', 'b2', 'b3', 'b4'],
    );
    assert.equal((await verifyAuditChain(db)).broken, undefined);
  });

  test('appends inside a transaction stay in it: rolled back with it, not shared with others', async () => {
    const outside = recordAudit(db, caller('t-outside'), read);
    await assert.rejects(
      db.transaction(async (tx) => {
        await recordAudit(tx, caller('t-inside'), read);
        throw new Error('the work failed');
      }),
      /the work failed/,
    );
    await outside;
    const rows = await db.query<{ requestId: string }>(
      `SELECT request_id AS "requestId" FROM audit_log WHERE request_id LIKE 't-%'`,
    );
    assert.deepEqual(
      rows.rows.map((row) => row.requestId),
      ['t-outside'],
    );
    assert.equal((await verifyAuditChain(db)).broken, undefined);
  });
});
