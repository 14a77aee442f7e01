import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Observation } from '@medplum/fhirtypes';
import { describeEachBackend } from '../../store/testing/backends.ts';
import { openTestStore, type TestStore } from '../../store/testing/open-test-store.ts';
import type { ExtractSpec } from './extract-spec.ts';
import { measureExtract, writeExtract } from './write-extract.ts';

const finals = (spec: Partial<ExtractSpec> = {}): ExtractSpec => ({
  resourceType: 'Observation',
  params: [['status', 'final']],
  format: 'ndjson',
  name: 'results',
  folder: '',
  columns: [],
  ...spec,
});

describeEachBackend(
  'batch extract: ndjson or CSV of a search, written then renamed (issue 17)',
  (backend) => {
    let store: TestStore;
    let folder: string;
    before(async () => {
      store = await openTestStore(backend);
      folder = mkdtempSync(join(tmpdir(), 'throughline-extract-'));
      const observation = (status: Observation['status'], i: number): Observation => ({
        resourceType: 'Observation',
        id: `obs-${String(i).padStart(5, '0')}`,
        status,
        code: {
          text: i === 1 ? 'glucose, "fasting"\nsecond line' : i === 2 ? '=HYPERLINK("x")' : `result ${i}`,
        },
        ...(i === 4 ? { valueQuantity: { value: -3.5 } } : {}),
      });
      // More than a page, so the extract pages through the search.
      await store.repository.importResources(
        Array.from({ length: 1203 }, (_, i) => observation(i % 3 === 0 ? 'preliminary' : 'final', i)),
      );
    });
    after(async () => {
      await store.db.close();
      rmSync(folder, { recursive: true, force: true });
    });

    test('ndjson: every match once, one JSON per line, the rows and bytes it says', async () => {
      const written = await writeExtract(store.repository, {
        spec: finals(),
        folder,
        occurrence: '2026-12-04T06:00:00Z',
      });
      assert.equal(written.file, join(folder, 'results-2026-12-04T060000Z.ndjson'));
      assert.equal(written.rows, 802);
      assert.equal(written.bytes, statSync(written.file).size);
      const lines = readFileSync(written.file, 'utf8').trimEnd().split('\n');
      const ids = lines.map((line) => (JSON.parse(line) as Observation).id);
      assert.equal(new Set(ids).size, 802);
      assert.ok(lines.every((line) => (JSON.parse(line) as Observation).status === 'final'));
      assert.deepEqual(readdirSync(folder), ['results-2026-12-04T060000Z.ndjson']);
    });

    test('CSV: a header, one line per row, columns by FHIRPath, quoted and formula-guarded', async () => {
      const spec = finals({
        format: 'csv',
        name: 'codes',
        params: [['_id', 'obs-00001,obs-00002,obs-00004']],
        columns: [
          { header: 'id', expression: 'id' },
          { header: 'code', expression: 'code.text' },
          { header: 'value', expression: 'value.ofType(Quantity).value' },
        ],
      });
      const written = await writeExtract(store.repository, {
        spec,
        folder,
        occurrence: '2026-12-04T18:00:00Z',
      });
      assert.equal(written.rows, 3);
      assert.equal(
        readFileSync(written.file, 'utf8'),
        [
          'id,code,value',
          'obs-00001,"glucose, ""fasting""\nsecond line",',
          `obs-00002,"'=HYPERLINK(""x"")",`,
          'obs-00004,result 4,-3.5',
          '',
        ].join('\r\n'),
      );
      assert.deepEqual(await measureExtract(store.repository, spec), { rows: 3, bytes: written.bytes });
    });

    test('the same occurrence again keeps the file it finds, and writes nothing', async () => {
      const file = join(folder, 'results-2026-12-04T060000Z.ndjson');
      const before = statSync(file);
      const again = await writeExtract(store.repository, {
        spec: finals(),
        folder,
        occurrence: '2026-12-04T06:00:00Z',
      });
      assert.deepEqual(again, { file, bytes: before.size, existing: true });
      assert.equal(statSync(file).mtimeMs, before.mtimeMs);
    });

    test('a bad search leaves nothing in the folder', async () => {
      const listed = readdirSync(folder).sort();
      await assert.rejects(
        writeExtract(store.repository, {
          spec: finals({ name: 'broken', params: [['no-such-param', '1']] }),
          folder,
          occurrence: '2026-12-05T06:00:00Z',
        }),
      );
      assert.deepEqual(readdirSync(folder).sort(), listed);
    });
  },
);
