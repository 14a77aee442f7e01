import type { Flag, Patient, Resource } from '@medplum/fhirtypes';

/** Resource types that are contact and engagement data, not the clinical record. */
export const ERASABLE_TYPES = ['Communication', 'CommunicationRequest', 'RelatedPerson'];
/** Patient elements that are contact data; name, birth date, gender and identifiers stay (the clinical record needs them). */
const CONTACT_ELEMENTS = ['telecom', 'address', 'contact', 'photo'] as const;

export const PRIVACY_SYSTEM = 'https://throughline.dev/fhir/CodeSystem/privacy';

export interface ErasurePlan {
  /** Patient records without their contact data, tagged. */
  scrubbed: Patient[];
  /** Engagement and contact resources to delete. */
  deletions: Resource[];
  /** One Flag per record: the clinical record is retained, and says so. */
  flags: Flag[];
}

export interface ErasureRequest {
  /** The person's Patient records (golden and source). */
  records: Patient[];
  /** Everything in their compartments. */
  resources: Resource[];
  /** The legal basis or request reference, kept on the Flags. */
  reason: string;
  now: Date;
}

/**
 * Erasure "where the law allows" (GDPR art. 17(3)(c): health records are kept for care):
 * contact data and the engagement trail go; the clinical record stays, flagged, so nobody
 * wonders why calls and messages are missing.
 */
export function planErasure(request: ErasureRequest): ErasurePlan {
  const { records, resources, reason, now } = request;
  const at = now.toISOString();
  const tag = {
    system: PRIVACY_SYSTEM,
    code: 'contact-erased',
    display: 'Contact and engagement data erased on request',
  };
  return {
    scrubbed: records.map((record) => {
      const copy: Record<string, unknown> = { ...record };
      for (const element of CONTACT_ELEMENTS) delete copy[element];
      const meta = record.meta ?? {};
      return { ...(copy as unknown as Patient), meta: { ...meta, tag: [...(meta.tag ?? []), tag] } };
    }),
    deletions: resources.filter((resource) => ERASABLE_TYPES.includes(resource.resourceType)),
    flags: records.map((record) => ({
      resourceType: 'Flag',
      status: 'active',
      category: [
        { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/flag-category', code: 'admin' }] },
      ],
      code: {
        coding: [{ system: PRIVACY_SYSTEM, code: 'contact-erased', display: tag.display }],
        text: `${tag.display}: ${reason}`,
      },
      subject: { reference: `Patient/${record.id}` },
      period: { start: at },
    })),
  };
}
