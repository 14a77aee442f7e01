import { ThroughlineError } from '../kernel/errors.ts';

/**
 * The limits on a secure message's attachment (issue 20: "attachments within limits"), checked
 * at the edge for every FHIR write of a `Communication`, alone or in a Bundle, before anything
 * is stored: a file type the clinic's staff can open safely, and a size their mailboxes and the
 * store carry without trouble.
 */
export const ATTACHMENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;
export const MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024;

interface Attachment {
  contentType?: unknown;
  data?: unknown;
}
interface CommunicationLike {
  resourceType: string;
  payload?: { contentAttachment?: Attachment }[];
}

/** Bytes a base64 string decodes to, without decoding it (padding excluded). */
function decodedBytes(data: string): number {
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.floor((data.replace(/\s/g, '').length * 3) / 4) - padding;
}

function checkAttachment(attachment: Attachment, path: string): void {
  const type = typeof attachment.contentType === 'string' ? attachment.contentType.split(';')[0]!.trim() : '';
  if (!(ATTACHMENT_TYPES as readonly string[]).includes(type.toLowerCase()))
    throw new ThroughlineError(
      'INVALID_RESOURCE',
      `An attachment must be one of ${ATTACHMENT_TYPES.join(', ')}`,
      {
        expression: `${path}.contentType`,
      },
    );
  if (typeof attachment.data === 'string' && decodedBytes(attachment.data) > MAX_ATTACHMENT_BYTES)
    throw new ThroughlineError('PAYLOAD_TOO_LARGE', 'An attachment may be at most 2 MB', {
      expression: `${path}.data`,
    });
}

/** Refuses the first attachment of a Communication outside the limits, naming its path. */
export function checkCommunicationAttachments(resource: CommunicationLike, prefix = 'Communication'): void {
  if (resource.resourceType !== 'Communication' || !Array.isArray(resource.payload)) return;
  resource.payload.forEach((part, index) => {
    if (part?.contentAttachment)
      checkAttachment(part.contentAttachment, `${prefix}.payload[${index}].contentAttachment`);
  });
}

/** The same for every Communication a Bundle (transaction or batch) would write. */
export function checkBundleAttachments(body: { resourceType: string }): void {
  const bundle = body as { entry?: { resource?: CommunicationLike }[] };
  if (!Array.isArray(bundle.entry)) return;
  bundle.entry.forEach((entry, index) => {
    if (entry?.resource) checkCommunicationAttachments(entry.resource, `Bundle.entry[${index}].resource`);
  });
}
