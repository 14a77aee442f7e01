import type { Consent, Resource } from '@medplum/fhirtypes';
import { patientCompartmentOf } from '../../fhir/compartment.ts';
import type { FhirRepository } from '../../store/index.ts';
import type { Principal } from '../principal.ts';
import { deniedByConsent, restrictionsOf, type ConsentRestriction } from './consent-restrictions.ts';

export interface ConsentGate {
  /** Whether consent restricts this caller at all (not the patient themselves, not integrations). */
  readonly applies: boolean;
  /** Loads the restrictions of every patient these resources belong to (one search, cached per request). */
  prefetch(resources: Resource[]): Promise<void>;
  /** Whether the patient's consent hides this resource from the caller (break-glass lifts it, flagged). */
  hides(resource: Resource): boolean;
}

/**
 * Enforces patients' privacy Consents for one request. A patient's own wishes do not bind the
 * patient (or their proxy), and system integrations are not disclosures, so neither is gated.
 * Consents are read with the unscoped store: evaluating policy is not an access to report.
 */
export function consentGate(
  repository: FhirRepository,
  principal: Principal,
  options: {
    ownOnly: boolean;
    breakGlassPatients: ReadonlySet<string>;
    brokeGlassFor: Set<string>;
    compartmentOf?: (resource: Resource) => string | undefined;
  },
): ConsentGate {
  const applies = !options.ownOnly && !principal.roles.includes('integration');
  const known = new Map<string, ConsentRestriction[]>();
  const patientOf = options.compartmentOf ?? patientCompartmentOf;
  return {
    applies,
    async prefetch(resources) {
      if (!applies) return;
      const wanted = [
        ...new Set(resources.map(patientOf).filter((id): id is string => !!id && !known.has(id))),
      ];
      for (let i = 0; i < wanted.length; i += 100) {
        const ids = wanted.slice(i, i + 100);
        const bundle = await repository.search({
          resourceType: 'Consent',
          params: [
            ['patient', ids.join(',')],
            ['status', 'active'],
            ['_count', '1000'],
          ],
        });
        const restrictions = restrictionsOf((bundle.entry ?? []).map((entry) => entry.resource as Consent));
        for (const id of ids) known.set(id, restrictions.get(id) ?? []);
      }
    },
    hides(resource) {
      if (!applies) return false;
      const patient = patientOf(resource);
      if (!patient || !deniedByConsent(known.get(patient), principal.roles, resource)) return false;
      if (!options.breakGlassPatients.has(patient)) return true;
      options.brokeGlassFor.add(patient);
      return false;
    },
  };
}
