import type { Appointment, Communication, Resource, Task } from '@medplum/fhirtypes';
import type { FhirRepository } from '../../store/index.ts';
import { SIGNAL_SYSTEM } from '../engine/journey-codes.ts';
import type { WorklistDefinition } from './worklist-definitions.ts';

/**
 * The message behind an item, as far as a row needs it to be read and answered: what was said
 * (`payload`), on which channel (`medium`), when, and its labels (a masked copy says `REDACTED`).
 */
export type ItemMessage = Pick<
  Communication,
  'resourceType' | 'id' | 'status' | 'medium' | 'payload' | 'sent' | 'received' | 'meta'
>;

export interface WorklistItem {
  id: string;
  reference: string;
  patient?: string;
  title: string;
  description?: string;
  status: string;
  priority?: string;
  /** The rule that put it there (care gaps, follow-ups). */
  rule?: string;
  focus?: string;
  /** The patient's message the item is about, when the caller may read it (`withFocusMessages`). */
  message?: ItemMessage;
  owner?: { reference?: string; display?: string };
  date?: string;
  snoozedUntil?: string;
}

export interface Worklist {
  name: string;
  title: string;
  description: string;
  total: number;
  items: WorklistItem[];
}

/** Which part of a list, as of when. */
export interface WorklistPage {
  /** Snoozed Tasks whose time has come by `now` are back on the list. */
  now: Date;
  /** Items per page (50 when not given). */
  count?: number;
  offset?: number;
}

const PRIORITY = ['stat', 'asap', 'urgent', 'routine'];
/** Lists are read whole (then filtered and sorted); this bounds one list's size. */
const MAX_ITEMS = 5000;

/**
 * One worklist, most urgent and oldest first. Snoozed Tasks stay off the list until their
 * time comes. Read through the caller's scoped store: what they may not see is not listed.
 */
export async function listWorklist(
  repository: FhirRepository,
  definition: WorklistDefinition,
  page: WorklistPage,
): Promise<Worklist> {
  const { now } = page;
  const items = (await readAll(repository, definition, now))
    .map(toItem)
    .filter((item) => !item.snoozedUntil || Date.parse(item.snoozedUntil) <= now.getTime())
    .sort(byUrgency);
  const offset = page.offset ?? 0;
  return {
    name: definition.name,
    title: definition.title,
    description: definition.description,
    total: items.length,
    items: items.slice(offset, offset + (page.count ?? 50)),
  };
}

async function readAll(
  repository: FhirRepository,
  definition: WorklistDefinition,
  now: Date,
): Promise<Resource[]> {
  const resources: Resource[] = [];
  const params = definition.params(now);
  while (resources.length < MAX_ITEMS) {
    const bundle = await repository.search({
      resourceType: definition.resourceType,
      params: [...params, ['_count', '500'], ['_offset', String(resources.length)]],
    });
    const found = (bundle.entry ?? []).filter((entry) => entry.search?.mode !== 'include');
    resources.push(...found.map((entry) => entry.resource as Resource));
    if (found.length === 0 || !bundle.link?.some((link) => link.relation === 'next')) break;
  }
  return resources;
}

function toItem(resource: Resource): WorklistItem {
  if (resource.resourceType === 'Appointment') return appointmentItem(resource);
  const task = resource as Task;
  return {
    id: task.id as string,
    reference: `Task/${task.id}`,
    patient: task.for?.reference,
    title: task.code?.text ?? task.code?.coding?.[0]?.display ?? 'Task',
    description: task.description,
    status: task.status,
    priority: task.priority,
    rule: task.code?.coding?.find((coding) => coding.system === SIGNAL_SYSTEM)?.code,
    focus: task.focus?.reference,
    owner: task.owner ? { reference: task.owner.reference, display: task.owner.display } : undefined,
    date: task.authoredOn,
    snoozedUntil: task.status === 'on-hold' ? task.restriction?.period?.start : undefined,
  };
}

function appointmentItem(appointment: Appointment): WorklistItem {
  return {
    id: appointment.id as string,
    reference: `Appointment/${appointment.id}`,
    patient: appointment.participant?.find((p) => p.actor?.reference?.startsWith('Patient/'))?.actor
      ?.reference,
    title: `Unconfirmed appointment ${appointment.start?.slice(11, 16) ?? ''}`.trim(),
    description: appointment.description,
    status: appointment.status,
    date: appointment.start,
  };
}

function byUrgency(a: WorklistItem, b: WorklistItem): number {
  const rank = (item: WorklistItem) => (item.priority ? PRIORITY.indexOf(item.priority) : PRIORITY.length);
  return rank(a) - rank(b) || (a.date ?? '').localeCompare(b.date ?? '');
}
