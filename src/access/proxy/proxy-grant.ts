import type { Extension, RelatedPerson, Resource } from '@medplum/fhirtypes';
import { patientIdOf } from '../../fhir/compartment.ts';
import { USER_SYSTEM } from '../principal.ts';

/**
 * A caregiver's (proxy's) access to a dependant's record, as FHIR data: a `RelatedPerson` whose
 * `patient` is the dependant and whose `identifier` names the caregiver's portal account
 * (system `USER_SYSTEM`, the same system that names who acted in Provenance and audit), with
 * `active`, `period` (its start and its expiry) and the scope extension below. The account
 * identifier is what makes a RelatedPerson a grant; a next of kin without one is only a
 * contact and opens nothing.
 */
export const PROXY_SCOPE_URL = 'https://throughline.dev/fhir/StructureDefinition/proxy-scope';

/**
 * What a proxy may do, as codes of the scope extension, each as the SMART scopes it adds
 * within the role matrix's `proxy` role (which it can only narrow, never widen):
 * - `record`: read everything the proxy role may read of the dependant (results, medicines,
 *   allergies, problems, visits, appointments, forms, messages) — never sensitive labels;
 * - `appointments`: book, confirm, move and cancel her appointments, as she would (through the
 *   portal's operations, which check this scope: the matrix lets no one-patient caller write an
 *   Appointment itself);
 * - `messages`: write secure messages to the clinic for her, as she would;
 * - `forms`: fill in and send the forms the clinic asked her to fill in.
 * Her Patient record is always readable: a caregiver must see whom she acts for.
 */
export const PROXY_SCOPES: Record<string, string[]> = {
  record: ['patient/*.rs'],
  appointments: [
    'patient/Appointment.crus',
    'patient/Slot.rs',
    'patient/Schedule.rs',
    'patient/Practitioner.rs',
    'patient/PractitionerRole.rs',
    'patient/Location.rs',
    'patient/HealthcareService.rs',
  ],
  messages: ['patient/Communication.crs'],
  forms: ['patient/QuestionnaireResponse.crus', 'patient/Questionnaire.rs'],
};
const ALWAYS = ['patient/Patient.rs'];

/** Whether a resource is a proxy grant: a RelatedPerson naming a portal account. */
export function isProxyGrant(resource: Resource | undefined): resource is RelatedPerson {
  return (
    resource?.resourceType === 'RelatedPerson' &&
    (resource.identifier ?? []).some((identifier) => identifier.system === USER_SYSTEM && !!identifier.value)
  );
}

/** The portal account the grant is for. */
export function grantAccountOf(grant: RelatedPerson): string | undefined {
  return grant.identifier?.find((identifier) => identifier.system === USER_SYSTEM)?.value;
}

/** The dependant's Patient id. */
export function grantPatientOf(grant: RelatedPerson): string | undefined {
  return patientIdOf(grant.patient?.reference);
}

/** The scope codes the grant lists (unknown codes count for nothing). */
export function grantScopeCodes(grant: RelatedPerson): string[] {
  const codes = (grant.extension ?? [])
    .filter((extension: Extension) => extension.url === PROXY_SCOPE_URL)
    .map((extension) => extension.valueCode)
    .filter((code): code is string => !!code && code in PROXY_SCOPES);
  return [...new Set(codes)];
}

/** The SMART scopes the grant gives (always her Patient record, then what its codes add). */
export function grantSmartScopes(grant: RelatedPerson): string[] {
  return [...ALWAYS, ...grantScopeCodes(grant).flatMap((code) => PROXY_SCOPES[code] ?? [])];
}

/**
 * Whether the grant opens anything at this moment: `active` must say true (a grant that does
 * not say so is not one), `period.start` (if any) has come and `period.end` (if any) has not.
 * Read on every request, so a revoked or expired grant stops access at once.
 */
export function isGrantLive(grant: RelatedPerson, now: Date): boolean {
  if (grant.active !== true) return false;
  const start = grant.period?.start ? Date.parse(grant.period.start) : undefined;
  const end = grant.period?.end ? Date.parse(grant.period.end) : undefined;
  if (start !== undefined && !(start <= now.getTime())) return false;
  return end === undefined || now.getTime() < end;
}
