import type { Bundle, CommunicationRequest } from '@medplum/fhirtypes';
import type { TestPlatform } from './test-platform.ts';
import { patientToken, staffToken } from './role-tokens.ts';

/** A clinic that holds laboratory results 48 hours for review (issue 20). */
export const HOLD_ENV = {
  RESULT_HOLD_HOURS: '48',
  RESULT_HOLD_CATEGORIES: 'laboratory,LAB',
  QUIET_HOURS: 'off',
};

const HOUR = 3_600_000;
const lab = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }],
};
const vitals = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }],
};

/** Maya's results: one on hold, one whose hold has passed, one of a kind not held; staff and her tokens. */
export interface HoldFixture {
  maya: string;
  /** Her TSH, final and issued now: on hold. */
  heldTsh: string;
  /** Her free T4, issued 49 hours ago: its hold has passed. */
  oldT4: string;
  /** Her blood pressure (vital signs): never held. */
  pressure: string;
  /** A preliminary report that lists the held TSH (not held itself: not final). */
  report: string;
  tokens: { maya: string; nurse: string; physician: string; frontDesk: string; coordinator: string };
}

export function labResult(options: { patient: string; code: string; issued: Date; category?: object }) {
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [options.category ?? lab],
    code: { coding: [{ system: 'http://loinc.org', code: options.code }], text: `LOINC ${options.code}` },
    subject: { reference: `Patient/${options.patient}` },
    issued: options.issued.toISOString(),
    valueQuantity: { value: 2.1, unit: 'mIU/L' },
  };
}

export async function seedHoldFixture(platform: TestPlatform, now: Date): Promise<HoldFixture> {
  const maya = await platform.create({
    resourceType: 'Patient',
    name: [{ given: ['Maya'], family: 'Hold' }],
    telecom: [{ system: 'email', value: 'maya.hold@example.test' }],
  } as never);
  const heldTsh = await platform.create(labResult({ patient: maya, code: '3016-3', issued: now }));
  const oldT4 = await platform.create(
    labResult({ patient: maya, code: '3024-7', issued: new Date(now.getTime() - 49 * HOUR) }),
  );
  const pressure = await platform.create(
    labResult({ patient: maya, code: '8480-6', issued: now, category: vitals }),
  );
  const report = await platform.create({
    resourceType: 'DiagnosticReport',
    status: 'preliminary',
    code: { text: 'Thyroid panel' },
    subject: { reference: `Patient/${maya}` },
    result: [{ reference: `Observation/${heldTsh}` }],
  } as never);
  const tokens = {
    maya: await patientToken(platform, maya),
    nurse: await staffToken(platform, 'nurse'),
    physician: await staffToken(platform, 'physician'),
    frontDesk: await staffToken(platform, 'front-desk'),
    coordinator: await staffToken(platform, 'care-coordinator'),
  };
  return { maya, heldTsh, oldT4, pressure, report, tokens };
}

/** The patient's outreach requests (results-ready notices among them) about one DiagnosticReport. */
export async function noticesAbout(
  platform: TestPlatform,
  about: { patient: string; report: string },
): Promise<CommunicationRequest[]> {
  const response = await platform.fetch(
    `/fhir/CommunicationRequest?subject=Patient/${about.patient}&_count=200`,
  );
  const bundle = (await response.json()) as Bundle;
  return (bundle.entry ?? [])
    .map((entry) => entry.resource as CommunicationRequest)
    .filter((request) => request.about?.some((ref) => ref.reference === `DiagnosticReport/${about.report}`));
}
