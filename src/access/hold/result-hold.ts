import type { DiagnosticReport, Observation, Provenance, Reference, Resource } from '@medplum/fhirtypes';

/** The clinic's hold on results, as the checkpoint and automation read it (`RESULT_HOLD_*`). */
export interface ResultHold {
  /** Hours after `issued` a held result stays hidden from the patient (0: no hold). */
  hours: number;
  /** Category codes held (`laboratory`, `LAB`, `imaging`); with no codes either: every result. */
  categories: readonly string[];
  /** LOINC codes held whatever their category. */
  codes: readonly string[];
}

export const NO_HOLD: ResultHold = { hours: 0, categories: [], codes: [] };

/** The resources a hold applies to: results, whole reports and their single observations. */
export const RESULT_TYPES: readonly string[] = ['Observation', 'DiagnosticReport'];

/** Only what the lab calls done is held: a preliminary result is not a result to review yet. */
export const HELD_STATUSES: readonly string[] = ['final', 'amended', 'corrected'];

/**
 * `Provenance.activity` of a release: a clinician let the patient see this result before its
 * hold ended. A Provenance is FHIR's record of who did what to a resource and when; it leaves
 * the result itself unchanged (no new version, so nothing reacts to it as a changed result).
 */
export const RELEASE_ACTIVITY = {
  system: 'https://throughline.dev/fhir/CodeSystem/result-release',
  code: 'release-to-patient',
  display: 'Released to the patient',
};

const LOINC = 'http://loinc.org';
type Result = Observation | DiagnosticReport;

/** Whether this clinic holds anything at all. */
export const holds = (hold: ResultHold): boolean => hold.hours > 0;

/**
 * When the hold on this result ends, or undefined when it is not held at all: not a result, not
 * final, of a kind the clinic does not hold, reported by the patient herself, or without an
 * `issued` to count from (a record imported without one stays as visible as it was).
 */
export function holdEndOf(resource: Resource, hold: ResultHold): Date | undefined {
  if (!holds(hold) || !RESULT_TYPES.includes(resource.resourceType)) return undefined;
  const result = resource as Result;
  if (!HELD_STATUSES.includes(result.status) || !result.issued) return undefined;
  if (reportedByPatient(result) || !ofHeldKind(result, hold)) return undefined;
  const issued = Date.parse(result.issued);
  return Number.isNaN(issued) ? undefined : new Date(issued + hold.hours * 3_600_000);
}

/** Her own readings (a home blood pressure) are hers already: nothing to review before she sees them. */
function reportedByPatient(result: Result): boolean {
  return (result.performer ?? []).some((who: Reference) =>
    /^(Patient|RelatedPerson)\//.test(who.reference ?? ''),
  );
}

function ofHeldKind(result: Result, hold: ResultHold): boolean {
  if (hold.categories.length === 0 && hold.codes.length === 0) return true;
  const categories = (result.category ?? []).flatMap((category) => category.coding ?? []);
  if (categories.some((coding) => coding.code !== undefined && hold.categories.includes(coding.code)))
    return true;
  return (result.code?.coding ?? []).some(
    (coding) => coding.system === LOINC && coding.code !== undefined && hold.codes.includes(coding.code),
  );
}

/** Whether a Provenance records a release to the patient. */
export function isRelease(resource: Resource): resource is Provenance {
  if (resource.resourceType !== 'Provenance') return false;
  const codings = (resource as Provenance).activity?.coding ?? [];
  return codings.some(
    (coding) => coding.system === RELEASE_ACTIVITY.system && coding.code === RELEASE_ACTIVITY.code,
  );
}

/** The results (`Type/id`) a release Provenance releases. */
export function releasedBy(provenance: Provenance): string[] {
  return provenance.target.flatMap((target) => {
    const match = /^(Observation|DiagnosticReport)\/([A-Za-z0-9\-.]{1,64})(\/_history\/.*)?$/.exec(
      target.reference ?? '',
    );
    return match ? [`${match[1]}/${match[2]}`] : [];
  });
}

/** The release of one result by the clinician who reviewed it (`agent` verifier), now. */
export function releaseOf(release: {
  result: string;
  who: Provenance['agent'][number]['who'];
  at: Date;
}): Provenance {
  return {
    resourceType: 'Provenance',
    target: [{ reference: release.result }],
    recorded: release.at.toISOString(),
    activity: { coding: [RELEASE_ACTIVITY], text: 'Released to the patient after review' },
    agent: [
      {
        type: {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'verifier' },
          ],
        },
        who: release.who,
      },
    ],
  };
}
