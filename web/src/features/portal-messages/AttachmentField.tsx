import { Anchor, Stack, Text } from '@mantine/core';
import { ACCEPTED_TYPES, attachmentOf, downloadUrl, refusalOf, type Attachment } from './attachment.ts';

/** One optional file on a new message; the browser's own picker, labelled for screen readers. */
export function AttachmentField() {
  return (
    <Stack gap={2}>
      <Text component="label" htmlFor="message-attachment" size="sm" fw={500}>
        Attachment (optional)
      </Text>
      <input id="message-attachment" name="attachment" type="file" accept={ACCEPTED_TYPES.join(',')} />
      <Text size="xs" c="dimmed">
        One PDF, PNG or JPEG file, at most 2 MB.
      </Text>
    </Stack>
  );
}

/** The form's file as an Attachment, or why it cannot be sent; nothing when none was chosen. */
export async function chosenAttachment(
  form: FormData,
): Promise<{ attachment?: Attachment; refusal?: string }> {
  const file = form.get('attachment');
  if (!(file instanceof File) || file.size === 0) return {};
  const refusal = refusalOf(file);
  return refusal ? { refusal } : { attachment: await attachmentOf(file) };
}

/** The files on a message she may read, each a download built from the message itself. */
export function AttachmentLinks({ attachments }: { attachments: Attachment[] }) {
  return attachments.map((attachment, index) => (
    <Anchor
      key={index}
      size="sm"
      display="block"
      href={downloadUrl(attachment)}
      download={attachment.title ?? 'attachment'}
    >
      Download: {attachment.title ?? 'Attachment'}
    </Anchor>
  ));
}
