import type { Coding, Patient } from '@medplum/fhirtypes';

/**
 * The golden record: one `Patient` per person, tagged, whose `link` (type `seealso`) lists the
 * person's source records; each source record points to it with a `refer` link ("in use and
 * valid, but not the main source of information": FHIR R4 Patient.link.type).
 */
export const GOLDEN_TAG: Coding = {
  system: 'https://throughline.dev/fhir/CodeSystem/identity',
  code: 'golden',
  display: 'Golden record',
};

export function isGolden(patient: Patient): boolean {
  return (
    patient.meta?.tag?.some((tag) => tag.system === GOLDEN_TAG.system && tag.code === GOLDEN_TAG.code) ??
    false
  );
}

/** The id of the golden record a source record refers to. */
export function goldenIdOf(patient: Patient): string | undefined {
  const reference = patient.link?.find((link) => link.type === 'refer')?.other?.reference;
  return reference?.startsWith('Patient/') ? reference.slice('Patient/'.length) : undefined;
}

/** The ids of the source records a golden record lists. */
export function memberIdsOf(golden: Patient): string[] {
  return (golden.link ?? [])
    .filter((link) => link.type === 'seealso' && link.other?.reference?.startsWith('Patient/'))
    .map((link) => (link.other?.reference as string).slice('Patient/'.length));
}

export function withGoldenRef(record: Patient, goldenId: string | undefined): Patient {
  const others = (record.link ?? []).filter((link) => link.type !== 'refer');
  const link = goldenId
    ? [...others, { other: { reference: `Patient/${goldenId}` }, type: 'refer' as const }]
    : others;
  const { link: _old, ...rest } = record;
  return (link.length > 0 ? { ...rest, link } : rest) as Patient;
}
