// The dry run's reasons in words: what stopped a rule ("Condition not met: the appointment is in
// the future"), and a planned step's notes ("Consent: would not be sent").
import type { PlanExpression } from './plan-facts.ts';

/** "condition false: <FHIRPath>" → the author's words for that condition, else that one was not met. */
export function stoppedWords(stoppedBy: string, conditions: PlanExpression[]): string {
  const failed = /^rule failed: (.*)$/s.exec(stoppedBy);
  if (failed) return `The rule failed: ${failed[1]}`;
  const expression = /^condition false: (.*)$/s.exec(stoppedBy)?.[1];
  if (expression === undefined) return stoppedBy;
  const described = conditions.find((c) => c.expression === expression)?.description;
  return described ? `Condition not met: "${described}"` : 'A condition was not met';
}

/**
 * Why a dry run was refused, for the reader: the server's "Not allowed: history DiagnosticReport"
 * (the dry run reads as the caller, and her role may not read that history) said as such.
 */
export function dryRunRefusal(message: string, typeWords: (resourceType: string) => string): string {
  const type = /Not allowed: history (\w+)$/.exec(message)?.[1];
  if (!type) return message;
  return `Your role may not read ${typeWords(type).toLowerCase()} records, which this rule looks at, so the dry run cannot show what it would do. An administrator can run it.`;
}

export interface NoteWords {
  /** A badge's words, and whether it stops the step (consent). */
  badge?: { words: string; color: string };
  words?: string;
}

/** A planned step's note (consent, a branch's side) and `after` (a wait) in words. */
export function noteWords(action: {
  type: string;
  note?: string;
  after?: string;
  branch?: string;
}): NoteWords {
  const consent = /^consent: (.*?)(?: \(engagement will not send\))?$/.exec(action.note ?? '');
  if (consent?.[1] === 'not known to the dry run') return { words: 'consent is checked when it is sent' };
  if (consent)
    return { badge: { words: 'No consent: would not be sent', color: 'orange' }, words: consent[1] };
  if (action.after) return { words: 'after the wait' };
  return {};
}
