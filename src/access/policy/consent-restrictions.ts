import type { Consent, ConsentProvision, Resource } from '@medplum/fhirtypes';

/**
 * A patient's "do not disclose" as enforced: their active privacy `Consent` (scope
 * `patient-privacy`) with `deny` provisions about disclosure — limited to resource types
 * (`provision.class`, resource-types system) or naming the access/disclose actions — and
 * optionally to roles (`provision.actor.role`, our role codes). Without actors a deny applies
 * to every staff role.
 */
export interface ConsentRestriction {
  types: Set<string>;
  roles: Set<string>;
}

export const ROLE_SYSTEM = 'https://throughline.dev/fhir/CodeSystem/role';

export function restrictionsOf(consents: Consent[]): Map<string, ConsentRestriction[]> {
  const byPatient = new Map<string, ConsentRestriction[]>();
  for (const consent of consents) {
    if (consent.status !== 'active' || !isPrivacy(consent)) continue;
    const patient = consent.patient?.reference?.match(/Patient\/([^/]+)$/)?.[1];
    if (!patient) continue;
    const denies = denyProvisions(consent.provision).map(toRestriction);
    if (denies.length) byPatient.set(patient, [...(byPatient.get(patient) ?? []), ...denies]);
  }
  return byPatient;
}

/** Whether one of the patient's restrictions hides this resource from a caller with these roles. */
export function deniedByConsent(
  restrictions: ConsentRestriction[] | undefined,
  roles: string[],
  resource: Resource,
): boolean {
  return (restrictions ?? []).some(
    (restriction) =>
      (restriction.types.size === 0 || restriction.types.has(resource.resourceType)) &&
      (restriction.roles.size === 0 || roles.some((role) => restriction.roles.has(role))),
  );
}

function isPrivacy(consent: Consent): boolean {
  return consent.scope?.coding?.some((coding) => coding.code === 'patient-privacy') ?? false;
}

function denyProvisions(provision: ConsentProvision | undefined): ConsentProvision[] {
  if (!provision) return [];
  const nested = (provision.provision ?? []).flatMap(denyProvisions);
  return provision.type === 'deny' && aboutDisclosure(provision) ? [provision, ...nested] : nested;
}

/**
 * A deny about who sees data: it names resource types, or the access/disclose actions. A deny
 * that only names a contact channel (`provision.code`, "no SMS") is an outreach preference,
 * enforced by engagement, not a reason to hide the record.
 */
function aboutDisclosure(provision: ConsentProvision): boolean {
  const actions = (provision.action ?? [])
    .flatMap((action) => action.coding ?? [])
    .map((coding) => coding.code);
  return (
    (provision.class?.length ?? 0) > 0 || actions.some((code) => code === 'access' || code === 'disclose')
  );
}

function toRestriction(provision: ConsentProvision): ConsentRestriction {
  return {
    types: new Set(
      (provision.class ?? []).map((coding) => coding.code).filter((code): code is string => !!code),
    ),
    roles: new Set(
      (provision.actor ?? [])
        .flatMap((actor) => actor.role?.coding ?? [])
        .filter((coding) => coding.system === ROLE_SYSTEM)
        .map((coding) => coding.code)
        .filter((code): code is string => !!code),
    ),
  };
}
