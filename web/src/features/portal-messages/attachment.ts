/**
 * One file on a message, within the limits the server checks for every Communication
 * (`src/server/check-attachments.ts`): PDF, PNG or JPEG, at most 2 MB.
 */
export interface Attachment {
  contentType?: string;
  title?: string;
  data?: string;
  size?: number;
}

export const ACCEPTED_TYPES = ['application/pdf', 'image/png', 'image/jpeg'];
export const MAX_BYTES = 2 * 1024 * 1024;

/** Why a file cannot be sent, in her words; undefined when it can. */
export function refusalOf(file: File): string | undefined {
  if (!ACCEPTED_TYPES.includes(file.type)) return 'Attach a PDF, PNG or JPEG file.';
  if (file.size > MAX_BYTES) return 'The file is larger than 2 MB.';
  return undefined;
}

/** The file as a FHIR Attachment: its bytes base64-encoded, its name as the title. */
export async function attachmentOf(file: File): Promise<Attachment> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let start = 0; start < bytes.length; start += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  return { contentType: file.type, title: file.name, data: btoa(binary), size: file.size };
}

/** A link target for a file she may read: built in the page from the message itself. */
export function downloadUrl(attachment: Attachment): string | undefined {
  if (!attachment.data || !attachment.contentType) return undefined;
  return `data:${attachment.contentType};base64,${attachment.data}`;
}

export function attachmentsOf(payload: { contentAttachment?: Attachment }[] | undefined): Attachment[] {
  return (payload ?? []).flatMap((part) => (part.contentAttachment ? [part.contentAttachment] : []));
}
