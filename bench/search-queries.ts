// Search latency on server PostgreSQL with all Synthea dev data (~28k resources) seeded and
// indexed in 500-resource batches (which also times index writes).
// Usage: npx node bench/search-queries.ts postgres://postgres@127.0.0.1:5432/test
// Targets: by id / token / name p95 ≤ 5 ms; a patient's Observations by -date p95 ≤ 10 ms.
import { randomBytes } from 'node:crypto';
import type { Patient, Resource } from '@medplum/fhirtypes';
import { migrate } from '../src/store/migrate.ts';
import { openPostgres } from '../src/store/sql/postgres.ts';
import type { SqlDatabase } from '../src/store/sql/database.ts';
import { indexResources } from '../src/store/search/index-resources.ts';
import { searchResources } from '../src/store/search/search-resources.ts';
import { seedResources } from '../src/store/search/testing/seed-resources.ts';
import { readSyntheaResources } from '../src/store/search/testing/shared-data.ts';
import { notRunWithout } from './lib/shared-data.ts';
import { ms, percentile, timeEach } from './lib/stats.ts';

const url = process.argv[2];
if (notRunWithout('synthea/dev', { name: 'bench/search-queries.ts', loads: 'the Synthea dev set' }))
  process.exit(0);
if (!url) {
  console.error('bench/search-queries.ts NOT RUN: pass a PostgreSQL URL as the first argument');
  process.exit(1);
}

const schema = `bench_${randomBytes(4).toString('hex')}`;
const admin = openPostgres({ connectionString: url!, maxConnections: 1 });
await admin.query(`CREATE SCHEMA ${schema}`);
const db = openPostgres({ connectionString: url!, schema, maxConnections: 4 });
try {
  await migrate(db);
  const resources = readSyntheaResources(102);
  await seed(db, resources);
  await runQueries(
    db,
    resources.filter((resource): resource is Patient => resource.resourceType === 'Patient'),
  );
} finally {
  await db.close();
  await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  await admin.close();
}

async function seed(database: SqlDatabase, resources: Resource[]): Promise<void> {
  const start = performance.now();
  for (let i = 0; i < resources.length; i += 500) {
    await database.transaction((tx) => seedResources(tx, resources.slice(i, i + 500)));
  }
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `seeded ${resources.length} resources (rows + indexes) in ${seconds.toFixed(1)} s = ${Math.round(resources.length / seconds)}/s`,
  );
  // Replacing every resource's rows (as an update would) times the index statement alone.
  const updated = resources.map((resource) => ({ ...resource, meta: { ...resource.meta, versionId: '2' } }));
  const reindexStart = performance.now();
  for (let i = 0; i < updated.length; i += 500) {
    await database.transaction((tx) => indexResources(tx, updated.slice(i, i + 500)));
  }
  const perResource = ((performance.now() - reindexStart) * 1000) / resources.length;
  console.log(
    `indexResources (replace, 500/batch): ${perResource.toFixed(0)} µs/resource wall incl. database`,
  );
  await database.exec('ANALYZE');
}

async function runQueries(database: SqlDatabase, patients: Patient[]): Promise<void> {
  const pick = (i: number): Patient => patients[i % patients.length]!;
  const cases: [string, (i: number) => [string, string, Patient | undefined]][] = [
    ['Patient by _id', (i) => ['Patient', `_id=${pick(i).id}`, undefined]],
    [
      'Patient by identifier token',
      (i) => [
        'Patient',
        `identifier=${pick(i).identifier?.[1]?.system}|${pick(i).identifier?.[1]?.value}`,
        undefined,
      ],
    ],
    ['Patient by name', (i) => ['Patient', `name=${pick(i).name?.[0]?.family}`, undefined]],
    [
      'Observation?subject&_sort=-date',
      (i) => ['Observation', `subject=Patient/${pick(i).id}&_sort=-date`, undefined],
    ],
    ['Patient/x/Observation?_sort=-date', (i) => ['Observation', '_sort=-date', pick(i)]],
    [
      'Observation code+patient',
      (i) => ['Observation', `patient=${pick(i).id}&code=http://loinc.org|8302-2`, undefined],
    ],
  ];
  for (const [label, make] of cases) {
    const run = (i: number): Promise<unknown> => {
      const [resourceType, query, compartment] = make(i);
      return searchResources(database, {
        resourceType,
        params: [...new URLSearchParams(query)],
        baseUrl: 'http://bench/fhir',
        compartment: compartment && { resourceType: 'Patient', id: compartment.id! },
      });
    };
    await timeEach(50, run);
    const samples = await timeEach(300, run);
    console.log(
      `${label.padEnd(36)} p50 ${ms(percentile(samples, 50))} ms  p95 ${ms(percentile(samples, 95))} ms`,
    );
  }
}
