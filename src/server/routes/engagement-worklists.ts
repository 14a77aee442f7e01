import {
  CALL_BACK_WORKLIST,
  OUTREACH_FAILURES_WORKLIST,
  RESCHEDULE_WORKLIST,
} from '../../engagement/index.ts';
import { openTasksOn, type WorklistDefinition } from '../../journey/index.ts';

/** Engagement's lists, beside the journey's (composed here: neither capability imports the other). */
export const engagementWorklists: WorklistDefinition[] = [
  {
    name: OUTREACH_FAILURES_WORKLIST,
    title: 'Outreach that could not be delivered',
    description: 'Reminders and messages every channel failed: fix the number or address, then send again.',
    resourceType: 'Task',
    params: openTasksOn(OUTREACH_FAILURES_WORKLIST),
  },
  {
    name: RESCHEDULE_WORKLIST,
    title: 'Reschedule requests',
    description: 'Patients who replied R to a reminder: find them a new time.',
    resourceType: 'Task',
    params: openTasksOn(RESCHEDULE_WORKLIST),
  },
  {
    name: CALL_BACK_WORKLIST,
    title: 'Missed calls to return',
    description:
      'Patients who called when no one could answer (reported by the phone provider or logged): call them back.',
    resourceType: 'Task',
    params: openTasksOn(CALL_BACK_WORKLIST),
  },
];
