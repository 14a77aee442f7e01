import type { Resource } from '@medplum/fhirtypes';
import type { Platform } from '../start-platform.ts';
import { patientToken, staffToken } from './role-tokens.ts';
import type { TestPlatform } from './test-platform.ts';
import { privacyConsent } from '../../fhir/privacy-consent.ts';
import { bookedAppointment, finalResult, finishedEncounter } from './care-records.ts';

const ACT = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
export const LABELS = {
  HIV: { system: ACT, code: 'HIV' },
  PSY: { system: ACT, code: 'PSY' },
  V: { system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'V' },
};

/** What an attacker works with: her own record, a victim with labelled and consent-hidden data, staff tokens. */
export type FixtureIds = Record<
  | 'practitioner'
  | 'maya'
  | 'victim'
  | 'hiv'
  | 'veryRestricted'
  | 'psy'
  | 'condition'
  | 'encounter'
  | 'report'
  | 'appointment',
  string
>;

export interface AttackFixture {
  ids: FixtureIds;
  tokens: Record<string, string>;
}

/**
 * Maya (a portal patient) and a victim whose record holds what must never leak: an HIV
 * result, a very-restricted (V) result, a psychiatric (PSY) diagnosis, a report the victim's
 * privacy Consent hides from physicians, a booked Appointment, a plain diagnosis and an
 * Encounter whose reason is that diagnosis.
 */
export async function seedAttackFixture(platform: TestPlatform): Promise<AttackFixture> {
  const ids = {} as FixtureIds;
  const create: Create = (resource) => platform.create(resource);
  ids.practitioner = await create({ resourceType: 'Practitioner', name: [{ family: 'Probe' }] });
  ids.maya = await create({
    resourceType: 'Patient',
    identifier: [{ system: 'urn:mrn', value: 'maya-1' }],
    name: [{ family: 'Okafor', given: ['Maya'] }],
  });
  ids.victim = await create({ resourceType: 'Patient', name: [{ family: 'Victimson', given: ['Vera'] }] });
  await seedLabelledData(create, ids);
  await seedOrdinaryCare(create, ids);
  await platform.create(consentHiding(ids.victim, { type: 'DiagnosticReport', roles: ['physician'] }));
  return { ids, tokens: await tokensFor(platform, ids.maya) };
}

type Create = (resource: { resourceType: string; [element: string]: unknown }) => Promise<string>;

/** The victim's security-labelled data: an HIV result, a very-restricted (V) result, a PSY diagnosis. */
async function seedLabelledData(create: Create, ids: FixtureIds): Promise<void> {
  const subject = { reference: `Patient/${ids.victim}` };
  const observation = (code: string, security: object[]) =>
    finalResult(
      'Observation',
      { subject, code: { coding: [{ system: 'http://loinc.org', code }] } },
      { meta: { security }, performer: [{ reference: `Practitioner/${ids.practitioner}` }] },
    );
  ids.hiv = await create(observation('7918-6', [LABELS.HIV]));
  ids.veryRestricted = await create(observation('vr-1', [LABELS.V]));
  ids.psy = await create({
    resourceType: 'Condition',
    meta: { security: [LABELS.PSY] },
    code: { coding: [{ system: 'urn:dx', code: 'psy-dx' }] },
    subject,
  });
}

/** The victim's unlabelled care: a plain diagnosis, an Encounter for it, a report, a booked Appointment. */
async function seedOrdinaryCare(create: Create, ids: FixtureIds): Promise<void> {
  const subject = { reference: `Patient/${ids.victim}` };
  ids.condition = await create({
    resourceType: 'Condition',
    code: { coding: [{ system: 'urn:dx', code: 'dx-plain' }] },
    subject,
  });
  ids.encounter = await create(
    finishedEncounter(subject, { reasonReference: [{ reference: `Condition/${ids.condition}` }] }),
  );
  ids.report = await create(finalResult('DiagnosticReport', { subject, code: { text: 'Biopsy' } }));
  ids.appointment = await create(
    bookedAppointment(
      subject,
      { start: '2026-12-10T09:00:00Z', end: '2026-12-10T09:15:00Z' },
      { identifier: [{ system: 'urn:appt', value: 'victim-appt' }] },
    ),
  );
}

async function tokensFor(platform: Platform, maya: string): Promise<Record<string, string>> {
  const tokens: Record<string, string> = { maya: await patientToken(platform, maya) };
  for (const role of ['nurse', 'physician', 'front-desk']) tokens[role] = await staffToken(platform, role);
  return tokens;
}

/** A privacy Consent of the patient that hides one resource type from these roles. */
export function consentHiding(patient: string, hidden: { type: string; roles: string[] }): Resource {
  return {
    ...privacyConsent(patient),
    policyRule: { coding: [{ system: ACT, code: 'OPTOUT' }] },
    provision: {
      type: 'permit',
      provision: [
        {
          type: 'deny',
          actor: hidden.roles.map((role) => ({
            role: { coding: [{ system: 'https://throughline.dev/fhir/CodeSystem/role', code: role }] },
            reference: { display: role },
          })),
          class: [{ system: 'http://hl7.org/fhir/resource-types', code: hidden.type }],
        },
      ],
    },
  };
}
