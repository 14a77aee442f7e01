import type { DiagnosticReport, HumanName, Observation, Patient, Resource } from '@medplum/fhirtypes';
import {
  HELD_STATUSES,
  holdEndOf,
  releasedAmong,
  requireOperation,
  RESULT_TYPES,
  type HoldSetting,
  type Principal,
} from '../access/index.ts';
import type { FhirRepository } from '../store/index.ts';

/** One result on hold, as the "Results to review" list shows it. */
export interface HeldResult {
  result: string;
  title: string;
  patient: string | undefined;
  patientName: string | undefined;
  issued: string | undefined;
  /** When the patient sees it anyway. */
  heldUntil: string;
}

/** Results read per type for the list: a clinic's results of one hold period. */
const MAX_PER_TYPE = 1000;

/**
 * The clinic's results on hold now, soonest released first (issue 20): read with the
 * clinician's own store (audited, naming each patient), so she lists only what she may see;
 * their releases (Provenance, which a nurse's role does not read) with the results service's.
 */
export async function resultsToReview(
  stores: { own: FhirRepository; service: FhirRepository },
  request: { principal: Principal; setting: HoldSetting },
): Promise<HeldResult[]> {
  const { principal, setting } = request;
  requireOperation(principal, 'results-release', 'Only clinicians review held results');
  if (setting.hold.hours <= 0) return [];
  const now = setting.clock.now();
  const since = new Date(now.getTime() - setting.hold.hours * 3_600_000).toISOString();
  const held: HeldResult[] = [];
  for (const resourceType of RESULT_TYPES) {
    const bundle = await stores.own.search({
      resourceType,
      params: [
        ['status', HELD_STATUSES.join(',')],
        ['_lastUpdated', `gt${since}`],
        ['_include', `${resourceType}:subject`],
        ['_count', String(MAX_PER_TYPE)],
      ],
    });
    const resources = (bundle.entry ?? []).flatMap((entry) => (entry.resource ? [entry.resource] : []));
    held.push(...heldAmong(resources, { setting, now }));
  }
  const released = await releasedAmong(
    stores.service,
    held.map((item) => item.result),
  );
  return held
    .filter((item) => !released.has(item.result))
    .sort((a, b) => a.heldUntil.localeCompare(b.heldUntil));
}

function heldAmong(resources: Resource[], at: { setting: HoldSetting; now: Date }): HeldResult[] {
  const patients = new Map(
    resources.filter((r): r is Patient => r.resourceType === 'Patient').map((p) => [`Patient/${p.id}`, p]),
  );
  return resources.flatMap((resource): HeldResult[] => {
    const end = holdEndOf(resource, at.setting.hold);
    if (!end || end <= at.now) return [];
    const result = resource as Observation | DiagnosticReport;
    const patient = result.subject?.reference;
    return [
      {
        result: `${resource.resourceType}/${resource.id}`,
        title:
          result.code.text ?? result.code.coding?.[0]?.display ?? result.code.coding?.[0]?.code ?? 'Result',
        patient,
        patientName: nameOf(patient ? patients.get(patient)?.name : undefined),
        issued: result.issued,
        heldUntil: end.toISOString(),
      },
    ];
  });
}

function nameOf(names: HumanName[] | undefined): string | undefined {
  const name = names?.[0];
  if (!name) return undefined;
  return name.text ?? [...(name.given ?? []), name.family].filter(Boolean).join(' ');
}
