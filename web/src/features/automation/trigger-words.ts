// What starts a rule and what a run was about, in words: "Diagnostic report updated",
// "Every week on Monday at 08:00", "Appointment created".
import * as rrulePackage from 'rrule';
import { codeAsWords } from '../../shared/fhir/code-words.ts';
import { typeLabel } from '../../shared/fhir/describe.ts';
import { COHORT_URL, SCHEDULE_URL, type PlanExpression, type PlanTrigger } from './plan-facts.ts';

// The browser build reads rrule's ES module (named exports); Node, in the unit tests, its
// CommonJS build, whose exports sit under `default`.
const { RRule } = (rrulePackage as unknown as { default?: typeof rrulePackage }).default ?? rrulePackage;

const CHANGES: Record<string, string> = {
  'data-added': 'created',
  'data-modified': 'updated',
  'data-removed': 'deleted',
  'data-changed': 'created, updated or deleted',
};

const pad = (n: number) => String(n).padStart(2, '0');

/** "FREQ=WEEKLY;BYDAY=MO;BYHOUR=8" → "Every week on Monday at 08:00" (rrule's words, a clock's time). */
export function scheduleWords(rule: string): string {
  try {
    const recurrence = RRule.fromString(rule);
    const { byhour, byminute } = recurrence.origOptions;
    const hours = [byhour ?? []].flat();
    const minute = [byminute ?? 0].flat()[0] ?? 0;
    let words = recurrence.toText();
    if (hours.length > 0)
      words = `${words.replace(/ at [\d, and]+$/, '')} at ${hours.map((h) => `${pad(h)}:${pad(minute)}`).join(' and ')}`;
    return words.charAt(0).toUpperCase() + words.slice(1);
  } catch {
    return `On a schedule (${rule})`;
  }
}

const extension = (list: { url?: string; valueString?: string }[] | undefined, url: string) =>
  list?.find((e) => e.url === url)?.valueString;

/** The schedule's RRULE and the cohort's search, for the technical detail. */
export function scheduleOf(trigger: PlanTrigger): { rule?: string; cohort?: string } {
  return {
    rule: extension(trigger.timingTiming?.extension, SCHEDULE_URL),
    cohort: extension(trigger.extension, COHORT_URL),
  };
}

/** One trigger in words; a condition the author described is said, an undescribed one only noted. */
export function triggerWords(trigger: PlanTrigger): string {
  const only = conditionWords(trigger.condition);
  if (trigger.type === 'periodic') {
    const { rule } = scheduleOf(trigger);
    return `${rule ? scheduleWords(rule) : 'On a schedule'} (clinic time)`;
  }
  // The server names its events by code only (`patient-reply`, rule-profile.ts NAMED_EVENTS).
  if (trigger.type === 'named-event') return `${codeAsWords(trigger.name ?? 'event')}${only}`;
  const type = trigger.data?.[0]?.type;
  const change = CHANGES[trigger.type ?? ''] ?? codeAsWords(trigger.type ?? 'changed').toLowerCase();
  return `${type ? typeLabel(type) : 'Record'} ${change}${only}`;
}

function conditionWords(condition: PlanExpression | undefined): string {
  if (!condition?.expression) return '';
  return condition.description ? `, when ${condition.description}` : ', when its condition holds';
}

/**
 * What a run or a dry-run line was about: "Appointment created" (version 1), "Task updated",
 * "Scheduled run" — the reference itself goes to the technical detail.
 */
export function eventWords(event: string): string {
  if (event.startsWith('occurrence/')) return 'Scheduled run';
  const [type, , , version] = event.split('/');
  if (!type || !version) return event;
  return `${typeLabel(type)} ${version === '1' ? 'created' : 'updated'}`;
}
