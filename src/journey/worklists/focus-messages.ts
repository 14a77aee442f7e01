import type { Communication, CommunicationPayload } from '@medplum/fhirtypes';
import type { FhirRepository } from '../../store/index.ts';
import type { ItemMessage, Worklist, WorklistItem } from './list-worklist.ts';

/** Messages per search: keeps each query's `_id` list short, whatever `_count` the page asked. */
const CHUNK = 100;
const PREFIX = 'Communication/';

/**
 * A page of items with the patient's message each is about (a Task's `focus` on a
 * `Communication`: her SMS, email or WhatsApp, a missed call), so staff read it on the list
 * instead of opening every patient. Read through the caller's scoped store, like the items: a
 * message they may not see (a label their role lacks, her consent) is not found and its item
 * carries none; a masked payload stays masked. The item itself says nothing of the text.
 */
export async function withFocusMessages(repository: FhirRepository, worklist: Worklist): Promise<Worklist> {
  const ids = [...new Set(worklist.items.flatMap(communicationId))];
  if (ids.length === 0) return worklist;
  const found = new Map<string, ItemMessage>();
  for (let start = 0; start < ids.length; start += CHUNK) {
    const bundle = await repository.search({
      resourceType: 'Communication',
      params: [
        ['_id', ids.slice(start, start + CHUNK).join(',')],
        ['_count', String(CHUNK)],
      ],
    });
    for (const entry of bundle.entry ?? []) {
      const message = entry.resource as Communication | undefined;
      if (message?.resourceType === 'Communication') found.set(`${PREFIX}${message.id}`, rowView(message));
    }
  }
  return { ...worklist, items: worklist.items.map((item) => withMessage(item, found)) };
}

function communicationId(item: WorklistItem): string[] {
  return item.focus?.startsWith(PREFIX) ? [item.focus.slice(PREFIX.length)] : [];
}

function withMessage(item: WorklistItem, found: Map<string, ItemMessage>): WorklistItem {
  const message = item.focus ? found.get(item.focus) : undefined;
  return message ? { ...item, message } : item;
}

/** What a row shows of a message; an attachment by its name only (its bytes stay on the record). */
function rowView(message: Communication): ItemMessage {
  const { resourceType, id, status, medium, sent, received } = message;
  return {
    resourceType,
    id,
    status,
    medium,
    sent,
    received,
    payload: message.payload?.map(namedOnly),
    meta: message.meta?.security ? { security: message.meta.security } : undefined,
  };
}

function namedOnly(part: CommunicationPayload): CommunicationPayload {
  if (!part.contentAttachment) return part;
  const { contentType, title } = part.contentAttachment;
  return { contentAttachment: { contentType, title } };
}
