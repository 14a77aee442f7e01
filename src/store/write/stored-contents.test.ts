import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { describeEachBackend } from '../testing/backends.ts';
import { createFhirRepository } from '../create-repository.ts';
import type { FhirRepository } from '../fhir-repository.ts';
import type { SqlDatabase } from '../sql/database.ts';
import fc from 'fast-check';
import { newStatementParts } from '../sql/statement-parts.ts';

// What JSON escapes (quotes, backslashes, tabs, newlines), what array literals quote (braces,
// commas, NULL), the text of the U+0001 separator contents are joined with, and characters
// outside the BMP. (Validation refuses raw control characters other than tab and newline.)
const awkward = 'a\\u0001b"c\\d{e,f}g\th\ni 😀 é NULL "" \\\\';

describeEachBackend('write path: stored contents', (backend) => {
  let db: SqlDatabase;
  let repo: FhirRepository;
  before(async () => {
    db = await backend.open();
    repo = createFhirRepository(db, { baseUrl: 'http://test/fhir' });
  });
  after(() => db.close());

  test('contents are stored and read back exactly, in the current row and the history, for every entry of a bundle', async () => {
    const entries = [awkward, 'plain', `${awkward}${awkward}`].map((text, at) => ({
      resource: { resourceType: 'Patient', id: `awkward-${at}`, name: [{ text, family: text }] } as Patient,
      request: { method: 'PUT' as const, url: `Patient/awkward-${at}` },
    }));
    await repo.processBundle({ resourceType: 'Bundle', type: 'transaction', entry: entries } as Bundle);
    for (const [at, entry] of entries.entries()) {
      const read = await repo.read<Patient>('Patient', `awkward-${at}`);
      assert.deepEqual(read.name, entry.resource.name);
      assert.deepEqual(
        (await repo.vread<Patient>('Patient', `awkward-${at}`, '1')).name,
        entry.resource.name,
      );
    }
    const updated = await repo.update<Patient>({ ...entries[0]!.resource, gender: 'other' });
    assert.deepEqual((await repo.read<Patient>('Patient', 'awkward-0')).name, entries[0]!.resource.name);
    assert.equal(updated.resource.meta?.versionId, '2');
  });

  test('contents are compressed with LZ4 on server PostgreSQL (PGlite is built without it)', async () => {
    const { rows } = await db.query<{ relname: string; attcompression: string }>(
      `SELECT c.relname, a.attcompression FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
       WHERE a.attname = 'content' AND c.relname IN ('resource', 'resource_history')
         AND c.relnamespace = to_regnamespace(current_schema())::oid ORDER BY c.relname`,
    );
    const expected = backend.name === 'postgres' ? 'l' : '';
    assert.deepEqual(
      rows.map((row) => [row.relname, row.attcompression]),
      [
        ['resource', expected],
        ['resource_history', expected],
      ],
    );
  });

  // Any text PostgreSQL can hold (no NUL), the two marks of the joined form among them.
  const textValue = fc.oneof(
    fc.string({ unit: fc.constantFrom('\u0001', '\u0002', 'a', '"', '\\', ',', '{', ' ', 'é', '😀') }),
    fc.string({ unit: 'binary' }).filter((text) => !text.includes('\u0000')),
  );

  test('columns of the write statement read back as sent, joined or as arrays', async () => {
    const read = async (columns: unknown[][], types: string[]) => {
      const parts = newStatementParts();
      const sql = `SELECT to_json(ARRAY[${types.map((_, at) => `c${at}::text`).join(', ')}]) AS row
        FROM unnest(${parts.params(columns, types)}) AS u(${types.map((_, at) => `c${at}`).join(', ')})`;
      const { rows } = await db.query<{ row: (string | null)[] }>(sql, parts.values);
      return rows.map((row) => row.row);
    };
    // Empty strings (alone, too), NULLs, the marks the joined form uses (that column stays an array).
    const texts = ['', null, 'a', awkward, 'x\u0001y', '\u0002', undefined];
    for (const column of [[''], [null], texts, [], ['\u0001']]) {
      assert.deepEqual(
        await read([column], ['text']),
        column.map((value) => [value ?? null]),
      );
    }
    const typed = await read(
      [
        [1.5, 1e-7, null],
        [true, false, null],
        ['2026-01-02T03:04:05.678Z', null, null],
        ['9007199254740993', '1', null],
      ],
      ['numeric', 'boolean', 'timestamptz', 'bigint'],
    );
    assert.deepEqual(
      typed.map((row) => row.slice(0, 2).concat(row[3]!)),
      [
        ['1.5', 'true', '9007199254740993'],
        ['0.0000001', 'false', '1'],
        [null, null, null],
      ],
    );
    assert.ok(typed[0]![2]!.startsWith('2026-01-0'));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(textValue, { nil: null })), async (column) => {
        assert.deepEqual(
          await read([column], ['text']),
          column.map((value) => [value]),
        );
      }),
      { numRuns: 40 },
    );
  });
});
