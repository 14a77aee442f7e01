import type { Patient, PatientLink, Provenance, Reference } from '@medplum/fhirtypes';
import type { JsonPath } from './reference-paths.ts';

/**
 * A merge is recorded as a FHIR `Provenance` (DESIGN rule 1: every fact is a resource) with
 * activity `merge` / `unmerge` from the ISO 21089 lifecycle code system. What un-merge needs —
 * the links and `active` flag both patients had before, and the exact reference paths moved in
 * each resource — travels in one documented extension holding JSON.
 */
export const MERGE_UNDO_EXTENSION = 'https://throughline.dev/fhir/StructureDefinition/merge-undo';
export const LIFECYCLE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle';

export interface PatientSnapshot {
  id: string;
  active?: boolean;
  link?: PatientLink[];
}

export interface MergeUndo {
  source: PatientSnapshot;
  target: PatientSnapshot;
  moved: { reference: string; paths: JsonPath[] }[];
}

export function snapshotOf(patient: Patient): PatientSnapshot {
  return {
    id: patient.id as string,
    active: patient.active,
    link: patient.link ? structuredClone(patient.link) : undefined,
  };
}

/** When, by whom and why a merge or un-merge was done. */
export interface MergeStamp {
  /** Instant the Provenance records. */
  recorded: string;
  who?: Actor;
  reason?: string;
}

export function mergeProvenance(
  activity: 'merge' | 'unmerge',
  undo: MergeUndo,
  { recorded, who, reason }: MergeStamp,
): Provenance {
  return {
    resourceType: 'Provenance',
    target: [
      { reference: `Patient/${undo.target.id}` },
      { reference: `Patient/${undo.source.id}` },
      ...undo.moved.map((entry) => ({ reference: entry.reference })),
    ],
    recorded,
    activity: {
      coding: [
        {
          system: LIFECYCLE_SYSTEM,
          code: activity,
          display: activity === 'merge' ? 'Merge Record Lifecycle Event' : 'Unmerge Record Lifecycle Event',
        },
      ],
    },
    agent: [{ who: actorReference(who) }],
    ...(reason ? { reason: [{ text: reason }] } : {}),
    extension: [{ url: MERGE_UNDO_EXTENSION, valueString: JSON.stringify(undo) }],
  };
}

export function undoOf(provenance: Provenance): MergeUndo | undefined {
  const raw = provenance.extension?.find((extension) => extension.url === MERGE_UNDO_EXTENSION)?.valueString;
  return raw ? (JSON.parse(raw) as MergeUndo) : undefined;
}

export function activityOf(provenance: Provenance): string | undefined {
  return provenance.activity?.coding?.find((coding) => coding.system === LIFECYCLE_SYSTEM)?.code;
}

/**
 * Who did it: the authenticated caller as the composition root passes it (a reference with
 * the user's or client's id), or a name for the platform's own work ("HL7 ADT A40").
 */
export type Actor = string | Pick<Reference, 'display' | 'identifier'>;

export function actorReference(actor: Actor | undefined): Pick<Reference, 'display' | 'identifier'> {
  if (actor === undefined) return { display: 'system' };
  return typeof actor === 'string' ? { display: actor } : actor;
}
