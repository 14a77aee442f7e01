import type { BundleEntry, ServiceRequest } from '@medplum/fhirtypes';
import { firstSegment, hl7ToFhirDateTime, segmentsOf, valueAt, type Segment } from '../../hl7v2/index.ts';
import { derivedIdentifier, referenceTo, upsertEntry, type MapContext } from './map-context.ts';
import { clean } from './clean-resource.ts';
import { mapPatient } from './map-patient.ts';
import { orderIdentifier, toCodeableConcept, toNames } from './v2-datatypes.ts';

/** SNOMED CT "Patient referral": the category the journeys and the referral loop look for. */
const REFERRAL_CATEGORY = {
  coding: [{ system: 'http://snomed.info/sct', code: '3457005', display: 'Patient referral' }],
};

/** RF1-1 referral status (HL7 table 0283) → ServiceRequest.status. */
const referralStatus: Record<string, ServiceRequest['status']> = {
  P: 'active',
  A: 'active',
  R: 'revoked',
  E: 'revoked',
};

/**
 * REF^I12 (new) / I13 (modify) / I14 (cancel) → one ServiceRequest, category "Patient referral",
 * keyed by the originating referral identifier (RF1-6) so a later report (MDM TXA-14) and
 * updates find it: RF1-10 the reason, RF1-7 when it took effect, PRD with role RT the provider
 * referred to, RP the referring one.
 */
export function mapReferral(context: MapContext): BundleEntry[] {
  const d = context.message.delimiters;
  const patient = mapPatient(context);
  const rf1 = firstSegment(context.message, 'RF1');
  const identifier = orderIdentifier(rf1?.fields[6], d) ?? orderIdentifier(rf1?.fields[11], d);
  const effective = rf1 ? (valueAt(rf1, d, 7) ?? valueAt(rf1, d, 9)) : undefined;
  const cancelled = context.header.triggerEvent === 'I14';
  const request: ServiceRequest = {
    resourceType: 'ServiceRequest',
    identifier: identifier ? [identifier] : undefined,
    status: cancelled ? 'revoked' : (referralStatus[(rf1 && valueAt(rf1, d, 1)) ?? 'P'] ?? 'active'),
    intent: 'order',
    priority: rf1 && valueAt(rf1, d, 2) === 'S' ? 'stat' : 'routine',
    category: [REFERRAL_CATEGORY],
    code: { ...REFERRAL_CATEGORY, text: referralText(rf1, d) },
    subject: referenceTo(patient),
    authoredOn: effective ? hl7ToFhirDateTime(effective, { segment: 'RF1', field: 7 }) : undefined,
    reasonCode:
      rf1 && toCodeableConcept(rf1.fields[10], d) ? [toCodeableConcept(rf1.fields[10], d)!] : undefined,
    performer: providerOfRole(context, 'RT'),
    requester: providerOfRole(context, 'RP')?.[0],
  };
  const key = identifier ?? derivedIdentifier(context, context.header.controlId, 'RF1');
  return [patient, upsertEntry(clean(request), key, context.source)];
}

function referralText(rf1: Segment | undefined, d: MapContext['message']['delimiters']): string {
  const type = rf1 ? toCodeableConcept(rf1.fields[3], d) : undefined;
  const label = type?.text ?? type?.coding?.[0]?.display ?? type?.coding?.[0]?.code;
  return label ? `Referral: ${label}` : 'Referral';
}

/** The provider named in a PRD segment with this role (PRD-1), by name (PRD-2). */
function providerOfRole(context: MapContext, role: 'RT' | 'RP'): { display: string }[] | undefined {
  const d = context.message.delimiters;
  const prd = segmentsOf(context.message, 'PRD').find((segment) => valueAt(segment, d, 1) === role);
  // PRD-2 is a name (XPN), not a person with an id (XCN).
  const name = prd ? toNames(prd, 2, d)[0] : undefined;
  const display = name
    ? [...(name.prefix ?? []), ...(name.given ?? []), name.family].filter(Boolean).join(' ')
    : undefined;
  return display ? [{ display }] : undefined;
}
