import type { Bundle, Consent } from '@medplum/fhirtypes';
import {
  choiceConsent,
  consentStates,
  supersededChoices,
  type ConsentChoice,
  type ConsentState,
} from '../engagement/index.ts';
import type { FhirRepository } from '../store/index.ts';

/**
 * A patient's consent to outreach, per channel and purpose, from the portal (issue 20). She
 * reads her Consents with her own store; her role may not write Consent (a privacy Consent can
 * hide data from her clinicians), so the portal's service store writes only the one shape a
 * choice makes (`choiceConsent`), for her own record. Engagement reads the Consents again at
 * the moment of every send, so a choice applies to what is already queued at once.
 */
export interface PortalConsentDeps {
  own: FhirRepository;
  service: FhirRepository;
  patient: string;
  now: Date;
}

async function activeConsents(own: FhirRepository): Promise<(Consent & { id: string })[]> {
  const bundle: Bundle = await own.search({
    resourceType: 'Consent',
    params: [
      ['status', 'active'],
      ['_count', '500'],
    ],
  });
  return (bundle.entry ?? []).map((entry) => entry.resource as Consent & { id: string });
}

export async function consentStatesFor(deps: PortalConsentDeps): Promise<ConsentState[]> {
  return consentStates(await activeConsents(deps.own), deps.now);
}

/** Records her choice (her earlier choice for the same channel and purpose made inactive). */
export async function recordConsentChoice(
  deps: PortalConsentDeps,
  choice: ConsentChoice,
): Promise<ConsentState[]> {
  for (const earlier of supersededChoices(await activeConsents(deps.own), choice))
    await deps.service.update({ ...earlier, status: 'inactive' });
  await deps.service.create(choiceConsent(choice, { patient: deps.patient, now: deps.now }));
  return consentStatesFor(deps);
}
