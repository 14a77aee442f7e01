import type { Consent, Patient, Resource } from '@medplum/fhirtypes';
import { patientOf, type Fact, type KpiCollector } from './kpi-model.ts';

/** The tag identity puts on a golden record (a view of a person, not a record someone keeps). */
const GOLDEN = { system: 'https://throughline.dev/fhir/CodeSystem/identity', code: 'golden' };

const isGolden = (patient: Patient) =>
  patient.meta?.tag?.some((tag) => tag.system === GOLDEN.system && tag.code === GOLDEN.code) ?? false;
const isMergedAway = (patient: Patient) => patient.link?.some((link) => link.type === 'replaced-by') ?? false;

/** A record someone keeps: not inactive, not a golden record, not merged away. */
export const isActiveRecord = (patient: Patient) =>
  patient.active !== false && !isGolden(patient) && !isMergedAway(patient);

/** What each clean-data KPI asks of an active patient record. */
export const checks: Record<string, (patient: Patient, consents: Set<string>) => boolean> = {
  'clean-contact': (patient) =>
    patient.telecom?.some(
      (point) =>
        Boolean(point.value) &&
        (point.system === 'email' || (point.system === 'phone' && point.use === 'mobile')),
    ) ?? false,
  'clean-address': (patient) =>
    patient.address?.some(
      (address) => (address.line?.length ?? 0) > 0 && Boolean(address.postalCode ?? address.city),
    ) ?? false,
  'clean-language': (patient) =>
    patient.communication?.some((each) => each.language?.coding?.length) ?? false,
  'clean-consent': (patient, consents) => consents.has(patient.id!),
};

/** Share of active patient records with a mobile or email, an address, a language, a consent: a snapshot of today. */
export function cleanDataKpis(): KpiCollector {
  const patients: Patient[] = [];
  const consents = new Set<string>();
  return {
    types: ['Patient', 'Consent'],
    kpis: [
      { id: 'clean-contact', title: 'Active patients with a mobile number or email', kind: 'rate' },
      { id: 'clean-address', title: 'Active patients with a postal address', kind: 'rate' },
      { id: 'clean-language', title: 'Active patients with a preferred language', kind: 'rate' },
      { id: 'clean-consent', title: 'Active patients with a consent on file', kind: 'rate' },
    ],
    add(resource: Resource) {
      if (resource.resourceType === 'Consent') {
        const consent = resource as Consent;
        const patient = patientOf(consent.patient?.reference);
        if (patient && consent.status === 'active') consents.add(patient);
        return;
      }
      const patient = resource as Patient;
      if (isActiveRecord(patient)) patients.push(patient);
    },
    facts(now: Date) {
      const at = now.toISOString();
      return patients.flatMap((patient) =>
        Object.entries(checks).map(([kpi, check]): Fact => ({
          kpi,
          at,
          patient: patient.id,
          inNumerator: check(patient, consents),
        })),
      );
    },
  };
}
