import { testStorePerSuite } from '../../store/testing/open-test-store.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Observation, Patient, Provenance, Resource } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import { describeEachBackend } from '../../store/testing/backends.ts';
import { type FhirRepository } from '../../store/index.ts';
import { seededRandom } from '../engine/train/estimate-u.ts';
import { goldenIdOf, isGolden, memberIdsOf } from '../golden/golden-record.ts';
import { linkRecords } from '../golden/link-records.ts';
import { unlinkRecord } from '../golden/unlink-record.ts';
import { activityOf, undoOf } from './merge-record.ts';
import { mergePatients } from './merge-patients.ts';
import { findReferencePaths } from './reference-paths.ts';
import { unmergePatients } from './unmerge-patients.ts';

const PATIENTS = 20;
const OPERATIONS = 100;
/** How a refused operation may fail: a coded conflict, nothing else (no 500, no partial state). */
const CLEAN_FAILURES = new Set(['VERSION_CONFLICT', 'CONFLICT', 'INVALID_REQUEST', 'NOT_FOUND']);

describeEachBackend('identity under concurrency: merges, un-merges, links and writes', (backend) => {
  const { repo } = testStorePerSuite(backend);

  test(`${OPERATIONS} random operations in parallel on ${PATIENTS} overlapping patients keep every invariant`, async () => {
    const ids = await seedPatients(repo);
    const random = seededRandom(2024);
    const pick = () => ids[Math.floor(random() * ids.length)]!;
    const operations = Array.from({ length: OPERATIONS }, () =>
      randomOperation(repo, random(), pick(), pick()),
    );
    // Spread over a few hundred milliseconds, so operations overlap at every stage, not only at the start.
    const delays = operations.map(() => random() * 400);
    const results = await Promise.allSettled(
      operations.map(async (operation, i) => {
        await new Promise((resolve) => setTimeout(resolve, delays[i]));
        return operation.run();
      }),
    );

    const unclean = results.flatMap((result, i) =>
      result.status === 'rejected' && !CLEAN_FAILURES.has((result.reason as ThroughlineError).code)
        ? [`${operations[i]!.name}: ${String(result.reason)}`]
        : [],
    );
    assert.deepEqual(unclean, []);
    const succeeded = (name: string) =>
      results.filter((result, i) => result.status === 'fulfilled' && operations[i]!.name === name).length;
    assert.ok(
      succeeded('merge') > 0 && succeeded('link') > 0 && succeeded('write') > 0,
      'operations did happen',
    );

    const everything = await readEverything(repo);
    assertNothingDeleted(everything, ids);
    assertNoOrphanedReferences(everything);
    assertNoReplacedByCycles(everything);
    assertEveryMergeRecorded(everything, succeeded('merge'), succeeded('unmerge'));
    assertGoldenRecordsConsistent(everything);
  });
});

interface Operation {
  name: 'merge' | 'unmerge' | 'link' | 'unlink' | 'write' | 'observe';
  run(): Promise<unknown>;
}

function randomOperation(repo: FhirRepository, roll: number, a: string, b: string): Operation {
  if (roll < 0.3) return { name: 'merge', run: () => mergePatients(repo, { sourceId: a, targetId: b }) };
  if (roll < 0.45) return { name: 'unmerge', run: () => unmergePatients(repo, { sourceId: a }) };
  if (roll < 0.65) return { name: 'link', run: () => linkRecords(repo, [a, b]) };
  if (roll < 0.72) return { name: 'unlink', run: () => unlinkRecord(repo, a) };
  if (roll < 0.88) return { name: 'write', run: () => touchPatient(repo, a) };
  return { name: 'observe', run: () => observe(repo, a) };
}

/** A demographic write racing the identity operations: read, change, write with If-Match. */
async function touchPatient(repo: FhirRepository, id: string): Promise<unknown> {
  const patient = await repo.read<Patient>('Patient', id);
  const telecom = [{ system: 'phone' as const, value: `+1 555 ${Math.floor(Math.random() * 1e7)}` }];
  return repo.update({ ...patient, telecom }, { ifMatch: patient.meta?.versionId });
}

function observe(repo: FhirRepository, id: string): Promise<unknown> {
  return repo.create<Observation>({
    resourceType: 'Observation',
    status: 'final',
    code: { text: 'Pulse' },
    subject: { reference: `Patient/${id}` },
  });
}

async function seedPatients(repo: FhirRepository): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < PATIENTS; i++) {
    const { resource } = await repo.create<Patient>({
      resourceType: 'Patient',
      name: [{ family: 'Okafor', given: [`Maya${i}`] }],
      birthDate: '1988-04-12',
    });
    ids.push(resource.id);
    await observe(repo, resource.id);
  }
  return ids;
}

async function readEverything(repo: FhirRepository): Promise<Resource[]> {
  const all: Resource[] = [];
  for (const resourceType of ['Patient', 'Observation', 'Provenance']) {
    const bundle = await repo.search({ resourceType, params: [['_count', '1000']] });
    all.push(...(bundle.entry ?? []).map((entry) => entry.resource as Resource));
  }
  return all;
}

const patientsOf = (everything: Resource[]) =>
  new Map(
    everything
      .filter((resource): resource is Patient => resource.resourceType === 'Patient')
      .map((patient) => [patient.id as string, patient]),
  );

function assertNothingDeleted(everything: Resource[], ids: string[]): void {
  const patients = patientsOf(everything);
  assert.deepEqual(
    ids.filter((id) => !patients.has(id)),
    [],
  );
  const observations = everything.filter((resource) => resource.resourceType === 'Observation');
  assert.ok(observations.length >= PATIENTS);
}

function assertNoOrphanedReferences(everything: Resource[]): void {
  const patients = patientsOf(everything);
  const orphans: string[] = [];
  for (const resource of everything) {
    const text = JSON.stringify(resource);
    for (const [, id] of text.matchAll(/"reference":"Patient\/([^"]+)"/g))
      if (!patients.has(id!)) orphans.push(`${resource.resourceType}/${resource.id} → Patient/${id}`);
  }
  assert.deepEqual(orphans, []);
}

function assertNoReplacedByCycles(everything: Resource[]): void {
  const patients = patientsOf(everything);
  for (const start of patients.values()) {
    const seen = new Set<string>();
    for (let current: Patient | undefined = start; current;) {
      assert.ok(!seen.has(current.id as string), `replaced-by cycle through Patient/${current.id}`);
      seen.add(current.id as string);
      const next: string | undefined = current.link?.find((link) => link.type === 'replaced-by')?.other
        ?.reference;
      current = next ? patients.get(next.slice('Patient/'.length)) : undefined;
    }
  }
}

/**
 * Each successful merge and un-merge left exactly one Provenance; every record now merged away
 * has as its latest lifecycle event a merge into the record it is replaced by, and what that
 * merge moved still points at the survivor.
 */
function assertEveryMergeRecorded(everything: Resource[], merges: number, unmerges: number): void {
  const provenances = everything.filter((r): r is Provenance => r.resourceType === 'Provenance');
  const events = provenances
    .filter((provenance) => ['merge', 'unmerge'].includes(activityOf(provenance) ?? ''))
    .sort(
      (x, y) =>
        (x.recorded ?? '').localeCompare(y.recorded ?? '') ||
        (x.meta?.versionId ?? '').localeCompare(y.meta?.versionId ?? ''),
    );
  assert.equal(events.filter((p) => activityOf(p) === 'merge').length, merges);
  assert.equal(events.filter((p) => activityOf(p) === 'unmerge').length, unmerges);
  for (const patient of patientsOf(everything).values()) {
    if (isGolden(patient)) continue;
    const survivor = patient.link?.find((link) => link.type === 'replaced-by')?.other?.reference;
    const latest = events.filter((p) => undoOf(p)?.source.id === patient.id).at(-1);
    if (!survivor) {
      assert.ok(
        !latest || activityOf(latest) === 'unmerge',
        `Patient/${patient.id}: merged without replaced-by`,
      );
      continue;
    }
    assert.equal(patient.active, false);
    assert.ok(
      latest && activityOf(latest) === 'merge',
      `Patient/${patient.id}: replaced-by without a merge record`,
    );
    // A later merge of the survivor carries the replaced-by link along (no chains): then that
    // merge's Provenance lists this record among what it moved.
    const carriedAlong = events.some(
      (p) =>
        activityOf(p) === 'merge' &&
        `Patient/${undoOf(p)!.target.id}` === survivor &&
        undoOf(p)!.moved.some((entry) => entry.reference === `Patient/${patient.id}`),
    );
    assert.ok(
      `Patient/${undoOf(latest)!.target.id}` === survivor || carriedAlong,
      `Patient/${patient.id} replaced-by ${survivor} without a merge record saying so`,
    );
    // What the merge moved stays moved. (An Observation created for the old record while the
    // merge ran, or after it, still points at it: merge covers what it read, not later writes.)
    const moved = new Set(undoOf(latest)!.moved.map((entry) => entry.reference));
    const stillPointing = everything.filter(
      (r) =>
        r.resourceType !== 'Patient' &&
        moved.has(`${r.resourceType}/${r.id}`) &&
        findReferencePaths(r, `Patient/${patient.id}`).length > 0,
    );
    assert.deepEqual(
      stillPointing.map((r) => r.id),
      [],
      `data of merged-away Patient/${patient.id} was re-pointed`,
    );
  }
}

/** Each active golden record lists exactly the records that refer to it, and they refer back. */
function assertGoldenRecordsConsistent(everything: Resource[]): void {
  const patients = patientsOf(everything);
  const referring = new Map<string, string[]>();
  for (const patient of patients.values()) {
    const golden = goldenIdOf(patient);
    if (golden) referring.set(golden, [...(referring.get(golden) ?? []), patient.id as string]);
  }
  for (const golden of [...patients.values()].filter(isGolden)) {
    const members = (referring.get(golden.id as string) ?? []).sort();
    if (golden.active === false) {
      assert.deepEqual(members, [], `retired golden Patient/${golden.id} still has members`);
      continue;
    }
    assert.deepEqual(memberIdsOf(golden).sort(), members, `golden Patient/${golden.id} members`);
  }
  for (const goldenId of referring.keys())
    assert.ok(isGolden(patients.get(goldenId)!), `Patient/${goldenId} is no golden record`);
}
