import { OPEN_TASK_STATUSES, WORKLIST_SYSTEM } from '../engine/journey-codes.ts';

/** A worklist: a named FHIR search whose results staff work through. */
export interface WorklistDefinition {
  name: string;
  title: string;
  description: string;
  resourceType: 'Task' | 'Appointment';
  /** The search, given now (for date-bound lists such as today's appointments). */
  params(now: Date): [string, string][];
}

/** The open Tasks on one named worklist (engagement's lists are built the same way, in the server). */
export const openTasksOn = (worklist: string) => (): [string, string][] => [
  ['performer', `${WORKLIST_SYSTEM}|${worklist}`],
  ['status', OPEN_TASK_STATUSES.join(',')],
];

const day = (date: Date, offsetDays = 0) =>
  new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + offsetDays))
    .toISOString()
    .slice(0, 10);

/** The journey engine's lists. The server adds lists other capabilities own (possible duplicates). */
export const journeyWorklists: WorklistDefinition[] = [
  {
    name: 'care-gaps',
    title: 'Care gaps',
    description: 'Overdue tests, reviews, refills and vaccines, and abnormal results without a follow-up.',
    resourceType: 'Task',
    params: openTasksOn('care-gaps'),
  },
  {
    name: 'referrals-to-chase',
    title: 'Referrals to chase',
    description: 'Referrals nobody booked, and referrals with no report back from the specialist.',
    resourceType: 'Task',
    params: openTasksOn('referrals-to-chase'),
  },
  {
    name: 'unanswered-messages',
    title: 'Unanswered messages',
    description: 'Calls, SMS, WhatsApp and email from patients with nothing sent back since.',
    resourceType: 'Task',
    params: openTasksOn('unanswered-messages'),
  },
  {
    name: 'follow-ups',
    title: 'Follow-ups',
    description: 'Tasks staff set for a patient: call back, chase a form, check in after a visit.',
    resourceType: 'Task',
    params: openTasksOn('follow-ups'),
  },
  {
    name: 'record-corrections',
    title: 'Record corrections',
    description:
      'Patients asking us to correct their record (right to amend): review, accept or refuse with a reason.',
    resourceType: 'Task',
    params: openTasksOn('record-corrections'),
  },
  {
    name: 'unconfirmed-appointments',
    title: "Today's unconfirmed appointments",
    description: 'Appointments today that are still proposed or pending: call to confirm.',
    resourceType: 'Appointment',
    params: (now) => [
      ['date', `ge${day(now)}`],
      ['date', `lt${day(now, 1)}`],
      ['status', 'proposed,pending'],
    ],
  },
];
