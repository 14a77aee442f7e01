import { systemClock } from '../../kernel/clock.ts';
import type { BundleEntry, Patient, Provenance, Resource } from '@medplum/fhirtypes';
import { updateEntry } from '../../fhir/bundle-entries.ts';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { FhirRepository } from '../../store/index.ts';
import { isGolden } from '../golden/golden-record.ts';
import { activityOf, mergeProvenance, snapshotOf, type Actor, type MergeUndo } from './merge-record.ts';
import { findReferencePaths, repointReferences, type Repoint } from './reference-paths.ts';

export interface MergeRequest {
  sourceId: string;
  targetId: string;
  /** Only report what would change. */
  preview?: boolean;
  performedBy?: Actor;
  reason?: string;
  /** Clock for the Provenance; defaults to now. */
  now?: () => Date;
}

export interface MergeResult {
  outcome: 'merged' | 'preview';
  source: Patient;
  target: Patient;
  /** `Type/id` of every resource re-pointed from source to target. */
  moved: string[];
  provenance?: Provenance;
}

/**
 * `Patient/$merge`: re-points everything that references the source patient to the target,
 * marks the source inactive and `replaced-by` the target, the target `replaces` the source,
 * and records a Provenance holding what un-merge needs. Nothing is deleted. It is one FHIR
 * transaction with `If-Match` on every resource read, so a concurrent write or merge aborts it
 * whole (VERSION_CONFLICT) instead of leaving a half-merge or a cycle.
 */
export async function mergePatients(repository: FhirRepository, request: MergeRequest): Promise<MergeResult> {
  const [source, target] = await readPair(repository, request.sourceId, request.targetId);
  assertMergeable(source, target);
  const sourceRef = `Patient/${source.id}`;
  const targetRef = `Patient/${target.id}`;
  const referencing = await resourcesReferencing(repository, source.id as string, sourceRef);
  const repointed = repointAll(referencing, { from: sourceRef, to: targetRef });
  const entries: BundleEntry[] = repointed.entries;
  const undo: MergeUndo = {
    source: snapshotOf(source),
    target: snapshotOf(target),
    moved: repointed.moved,
  };
  const moved = undo.moved.map((entry) => entry.reference);
  const [mergedSource, mergedTarget] = linkedAsMerged(source, target);
  if (request.preview) return { outcome: 'preview', source: mergedSource, target: mergedTarget, moved };
  const committed = await commitPair(repository, {
    entries,
    source: [mergedSource, source],
    target: [mergedTarget, target],
    record: { activity: 'merge', undo, request },
  });
  return { outcome: 'merged', moved, ...committed };
}

export interface PairCommit {
  /** The re-pointed resources. */
  entries: BundleEntry[];
  /** The record as it should be, and as it was read (its version guards the write). */
  source: [Patient, Patient];
  target: [Patient, Patient];
  /** What the Provenance records: the activity, what un-merge needs, who, when and why. */
  record: { activity: 'merge' | 'unmerge'; undo: MergeUndo; request: PairRequest };
}

/** Who asked for a merge or un-merge, why, and the clock for its Provenance. */
export type PairRequest = Pick<MergeRequest, 'performedBy' | 'reason' | 'now'>;

/**
 * Merge and un-merge end the same way: the moved resources, both records (each with `If-Match`
 * on the version read) and the Provenance, in one transaction.
 */
export async function commitPair(
  repository: FhirRepository,
  commit: PairCommit,
): Promise<{ source: Patient; target: Patient; provenance: Provenance }> {
  const [source, sourceRead] = commit.source;
  const [target, targetRead] = commit.target;
  const { activity, undo, request } = commit.record;
  const provenance = mergeProvenance(activity, undo, {
    recorded: (request.now?.() ?? systemClock.now()).toISOString(),
    who: request.performedBy,
    reason: request.reason,
  });
  const response = await repository.processBundle({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      ...commit.entries,
      updateEntry(source, sourceRead.meta?.versionId),
      updateEntry(target, targetRead.meta?.versionId),
      { resource: provenance, request: { method: 'POST', url: 'Provenance' } },
    ],
  });
  const resources = (response.entry ?? []).map((entry) => entry.resource as Resource);
  return {
    source: resources.at(-3) as Patient,
    target: resources.at(-2) as Patient,
    provenance: resources.at(-1) as Provenance,
  };
}

/** The source inactive and `replaced-by` the target; the target `replaces` the source. */
function linkedAsMerged(source: Patient, target: Patient): [Patient, Patient] {
  const mergedSource: Patient = {
    ...source,
    active: false,
    link: [...(source.link ?? []), { other: { reference: `Patient/${target.id}` }, type: 'replaced-by' }],
  };
  const mergedTarget: Patient = {
    ...target,
    link: [...(target.link ?? []), { other: { reference: `Patient/${source.id}` }, type: 'replaces' }],
  };
  return [mergedSource, mergedTarget];
}

/**
 * Each resource with its references to the source pointed at the target (as If-Match PUTs),
 * and the exact paths moved in each, which un-merge needs.
 */
function repointAll(
  referencing: Resource[],
  repoint: Repoint,
): { entries: BundleEntry[]; moved: MergeUndo['moved'] } {
  const entries: BundleEntry[] = [];
  const moved: MergeUndo['moved'] = [];
  for (const resource of referencing) {
    const paths = findReferencePaths(resource, repoint.from);
    const updated = structuredClone(resource);
    repointReferences(updated, paths, repoint);
    moved.push({ reference: `${resource.resourceType}/${resource.id}`, paths });
    entries.push(updateEntry(updated, resource.meta?.versionId));
  }
  return { entries, moved };
}

export async function readPair(
  repository: FhirRepository,
  sourceId: string,
  targetId: string,
): Promise<[Patient, Patient]> {
  if (sourceId === targetId) {
    throw new ThroughlineError('INVALID_REQUEST', 'A patient cannot be merged into itself', {
      expression: 'target-patient',
    });
  }
  return [
    await repository.read<Patient>('Patient', sourceId),
    await repository.read<Patient>('Patient', targetId),
  ];
}

function replacedBy(patient: Patient): string | undefined {
  return patient.link?.find((link) => link.type === 'replaced-by')?.other?.reference;
}

/** Refuses merges that would chain or loop: both sides must be live, unmerged records. */
function assertMergeable(source: Patient, target: Patient): void {
  const sourceSurvivor = replacedBy(source);
  if (sourceSurvivor) {
    throw new ThroughlineError('CONFLICT', `Patient/${source.id} was already merged into ${sourceSurvivor}`, {
      expression: 'source-patient',
    });
  }
  const targetSurvivor = replacedBy(target);
  if (targetSurvivor) {
    throw new ThroughlineError(
      'CONFLICT',
      `Patient/${target.id} was merged into ${targetSurvivor}; merge into that record instead`,
      {
        expression: 'target-patient',
      },
    );
  }
}

/**
 * Every resource in the source's compartment (or pointed to from it) that references the source
 * — except golden records: their `seealso` links say which source records make up a person,
 * and a merged-away record stays one of them (it still refers to its golden record), so moving
 * that link would make the golden record list a record that does not refer back.
 */
async function resourcesReferencing(
  repository: FhirRepository,
  sourceId: string,
  sourceRef: string,
): Promise<Resource[]> {
  const everything = await repository.everything({ patientId: sourceId });
  return (everything.entry ?? [])
    .map((entry) => entry.resource as Resource)
    .filter((resource) => !(resource.resourceType === 'Patient' && resource.id === sourceId))
    .filter((resource) => !(resource.resourceType === 'Patient' && isGolden(resource as Patient)))
    .filter(
      (resource) =>
        !(
          resource.resourceType === 'Provenance' && ['merge', 'unmerge'].includes(activityOf(resource) ?? '')
        ),
    )
    .filter((resource) => findReferencePaths(resource, sourceRef).length > 0);
}
