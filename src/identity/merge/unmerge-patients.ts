import type { BundleEntry, Patient, Provenance, Resource } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { FhirRepository } from '../../store/index.ts';
import { goldenIdOf, withGoldenRef } from '../golden/golden-record.ts';
import { activityOf, undoOf, type Actor, type MergeUndo } from './merge-record.ts';
import { updateEntry } from '../../fhir/bundle-entries.ts';
import { commitPair } from './merge-patients.ts';
import { repointReferences, type Repoint } from './reference-paths.ts';

export interface UnmergeRequest {
  /** The patient that was merged away (now `replaced-by`). */
  sourceId: string;
  performedBy?: Actor;
  reason?: string;
  now?: () => Date;
}

export interface UnmergeResult {
  source: Patient;
  target: Patient;
  restored: string[];
  provenance: Provenance;
}

/**
 * Undoes the latest merge of `sourceId`: the source gets back exactly the `active` flag and
 * links it had, the target loses the `replaces` link the merge added, and every reference the
 * merge moved is pointed back — only those paths, and only where they still point at the
 * target. One transaction with `If-Match`, like merge.
 */
export async function unmergePatients(
  repository: FhirRepository,
  request: UnmergeRequest,
): Promise<UnmergeResult> {
  const source = await repository.read<Patient>('Patient', request.sourceId);
  const targetRef = mergedInto(source);
  const target = await repository.read<Patient>('Patient', targetRef.slice('Patient/'.length));
  const undo = await latestMergeUndo(repository, target.id as string, source.id as string);
  const sourceRef = `Patient/${source.id}`;
  const entries = await restoreMoved(repository, undo, { from: targetRef, to: sourceRef });
  const restoredSource = restoredLinks(source, undo);
  const remainingLinks = (target.link ?? []).filter(
    (link) => !(link.type === 'replaces' && link.other?.reference === sourceRef),
  );
  const restoredTarget: Patient = withLinkState(target, target.active, remainingLinks);
  const committed = await commitPair(repository, {
    entries,
    source: [restoredSource, source],
    target: [restoredTarget, target],
    record: { activity: 'unmerge', undo, request },
  });
  return {
    ...committed,
    restored: entries.map((entry) => `${entry.resource?.resourceType}/${entry.resource?.id}`),
  };
}

/** The `Patient/id` the source was merged into; a conflict when it was not merged. */
function mergedInto(source: Patient): string {
  const targetRef = source.link?.find((link) => link.type === 'replaced-by')?.other?.reference;
  if (!targetRef?.startsWith('Patient/')) {
    throw new ThroughlineError('CONFLICT', `Patient/${source.id} is not merged into another record`, {
      expression: 'source-patient',
    });
  }
  return targetRef;
}

/**
 * The moved resources with the merge's paths pointed back (as If-Match PUTs): only those that
 * still exist and still point at the target.
 */
async function restoreMoved(
  repository: FhirRepository,
  undo: MergeUndo,
  repoint: Repoint,
): Promise<BundleEntry[]> {
  const entries: BundleEntry[] = [];
  for (const moved of undo.moved) {
    const [type, id] = moved.reference.split('/') as [string, string];
    const current = await readIfLive(repository, type, id);
    if (!current) continue;
    const restored = structuredClone(current);
    if (repointReferences(restored, moved.paths, repoint) > 0)
      entries.push(updateEntry(restored, current.meta?.versionId));
  }
  return entries;
}

/**
 * The source with its merge-time `active` and links, except the `refer` to its golden record:
 * that one belongs to link/unlink, which may have moved it since the merge (a stale one would
 * leave the golden record listing a member that no longer refers to it).
 */
function restoredLinks(source: Patient, undo: MergeUndo): Patient {
  return withGoldenRef(withLinkState(source, undo.source.active, undo.source.link), goldenIdOf(source));
}

function withLinkState(patient: Patient, active: boolean | undefined, link: Patient['link']): Patient {
  const { active: _active, link: _link, ...rest } = patient;
  return {
    ...rest,
    ...(active !== undefined ? { active } : {}),
    ...(link && link.length > 0 ? { link } : {}),
  } as Patient;
}

async function readIfLive(
  repository: FhirRepository,
  type: string,
  id: string,
): Promise<Resource | undefined> {
  try {
    return await repository.read(type, id);
  } catch {
    return undefined;
  }
}

/** The newest merge Provenance of this source into this target (in the target's compartment). */
async function latestMergeUndo(
  repository: FhirRepository,
  targetId: string,
  sourceId: string,
): Promise<MergeUndo> {
  const everything = await repository.everything({ patientId: targetId, types: ['Provenance'] });
  const merges = (everything.entry ?? [])
    .map((entry) => entry.resource as Provenance)
    .filter((provenance) => activityOf(provenance) === 'merge' && undoOf(provenance)?.source.id === sourceId)
    .sort((a, b) => (b.recorded ?? '').localeCompare(a.recorded ?? ''));
  const undo = merges[0] ? undoOf(merges[0]) : undefined;
  if (!undo)
    throw new ThroughlineError(
      'NOT_FOUND',
      `No merge record of Patient/${sourceId} into Patient/${targetId}`,
    );
  return undo;
}
