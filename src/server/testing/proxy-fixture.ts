import { after, before } from 'node:test';
import type { RelatedPerson } from '@medplum/fhirtypes';
import { decodeJwt } from 'jose';
import { PROXY_SCOPE_URL, USER_SYSTEM } from '../../access/index.ts';
import { consentHiding, LABELS } from './attack-fixture.ts';
import { patientToken, staffToken } from './role-tokens.ts';
import type { TestBackend } from '../../store/testing/backends.ts';
import { startTestPlatform, type TestPlatform } from './test-platform.ts';

/** A caregiver (Maya, her own portal account), her dependant Ada, and a third patient, Vera. */
export interface ProxyFixture {
  maya: string;
  ada: string;
  vera: string;
  /** Maya's portal account id (what a grant names). */
  mayaAccount: string;
  tokens: { maya: string; ada: string; frontDesk: string; nurse: string };
  /** Ada's data by what it is: plain, labelled, hidden from proxies by her Consent. */
  adaData: Record<'observation' | 'hiv' | 'psy' | 'hiddenAllergy' | 'appointment', string>;
  veraObservation: string;
}

/** A grant as staff write it: a RelatedPerson for `patient` naming `account`, with scope and expiry. */
export function grantFor(options: {
  patient: string;
  account: string;
  scope: string[];
  end?: string;
  active?: boolean;
}): RelatedPerson {
  return {
    resourceType: 'RelatedPerson',
    active: options.active ?? true,
    patient: { reference: `Patient/${options.patient}` },
    identifier: [{ system: USER_SYSTEM, value: options.account }],
    relationship: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'MTH', display: 'mother' },
        ],
      },
    ],
    name: [{ given: ['Maya'], family: 'Okafor' }],
    period: { start: '2020-01-01T00:00:00Z', ...(options.end ? { end: options.end } : {}) },
    extension: options.scope.map((code) => ({ url: PROXY_SCOPE_URL, valueCode: code })),
  };
}

const subject = (id: string) => ({ reference: `Patient/${id}` });
const observation = (patient: string, code: string, security: object[] = []) => ({
  resourceType: 'Observation',
  ...(security.length ? { meta: { security } } : {}),
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code }] },
  subject: subject(patient),
});

/** Seeds the three people and Ada's data; no grant yet. */
export async function seedProxyFixture(platform: TestPlatform): Promise<ProxyFixture> {
  const patient = (given: string) =>
    platform.create({ resourceType: 'Patient', name: [{ given: [given], family: 'Okafor' }] } as never);
  const [maya, ada, vera] = [await patient('Maya'), await patient('Ada'), await patient('Vera')];
  const adaData = {
    observation: await platform.create(observation(ada, '3016-3')),
    hiv: await platform.create(observation(ada, '7918-6', [LABELS.HIV])),
    psy: await platform.create({
      resourceType: 'Condition',
      meta: { security: [LABELS.PSY] },
      code: { text: 'psy' },
      subject: subject(ada),
    } as never),
    hiddenAllergy: await platform.create({
      resourceType: 'AllergyIntolerance',
      clinicalStatus: {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' },
        ],
      },
      code: { text: 'hidden from her proxy' },
      patient: subject(ada),
    } as never),
    appointment: await platform.create({
      resourceType: 'Appointment',
      status: 'booked',
      start: '2026-12-10T09:00:00Z',
      end: '2026-12-10T09:15:00Z',
      participant: [{ actor: subject(ada), status: 'accepted' }],
    } as never),
  };
  await platform.create(consentHiding(ada, { type: 'AllergyIntolerance', roles: ['proxy'] }));
  const veraObservation = await platform.create(observation(vera, '3016-3'));
  const tokens = {
    maya: await patientToken(platform, maya),
    ada: await patientToken(platform, ada),
    frontDesk: await staffToken(platform, 'front-desk'),
    nurse: await staffToken(platform, 'nurse'),
  };
  const mayaAccount = String(decodeJwt(tokens.maya).sub);
  return { maya, ada, vera, mayaAccount, tokens, adaData, veraObservation };
}

/** One platform per suite with the caregiver fixture seeded in it (both set before the first test). */
export function proxyPlatformPerSuite(backend: TestBackend): { platform: TestPlatform; f: ProxyFixture } {
  const suite = { platform: undefined as unknown as TestPlatform, f: undefined as unknown as ProxyFixture };
  before(async () => {
    suite.platform = await startTestPlatform(backend);
    suite.f = await seedProxyFixture(suite.platform);
  });
  after(() => suite.platform.stop());
  return suite;
}
