// What a rule's steps do, in the words a practice manager uses: "Send message: Results ready",
// "Wait 3 days", "Create task: Coordinator call". The codes (`send`, `hl7-send`) and FHIRPath stay
// in the technical detail, one click away.
import { outreachPurposeDisplay } from '../../shared/fhir/code-words.ts';
import { codeOf, durationWords, literalValues, type PlanStep } from './plan-facts.ts';

/** What is known of a step: its type, the author's title, and its values (fixed ones, or a dry run's). */
export interface StepFacts {
  type: string;
  title?: string;
  values: Record<string, unknown>;
  /** A wait's length in words ("3 days"). */
  wait?: string;
  /** The author's words for a wait's stop condition ("the gap was closed"). */
  stopsWhen?: string;
}

const HL7_WORDS: Record<string, string> = {
  'ADT^A08': 'patient details',
  'ADT^A31': 'person details',
  'ORU^R01': 'the result',
};

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/** "billing.example" from a URL, the whole value when it is not one. */
function hostOf(url: unknown): string | undefined {
  try {
    return new URL(String(url)).host;
  } catch {
    return text(url);
  }
}

export function factsOf(step: PlanStep | undefined): StepFacts {
  const wait = durationWords(step?.timingDuration);
  const stopsWhen = step?.condition?.find((c) => c.kind === 'stop')?.expression?.description;
  return {
    type: codeOf(step),
    ...(step?.title ? { title: step.title } : {}),
    values: literalValues(step),
    ...(wait ? { wait } : {}),
    ...(stopsWhen ? { stopsWhen } : {}),
  };
}

const purposeOf = (facts: StepFacts) => {
  const purpose = text(facts.values.purpose);
  return purpose ? outreachPurposeDisplay(purpose) : undefined;
};

/** The task's own words (its description when known), else the step's title. */
const taskOf = (facts: StepFacts) => {
  const description = text(facts.values.description);
  return description ? `"${description}"` : facts.title;
};

const hl7Of = (facts: StepFacts) => {
  const message = text(facts.values.message) ?? '';
  return `${HL7_WORDS[message] ?? 'a message'} to other systems${message ? ` (HL7 ${message})` : ''}`;
};

const with_ = (words: string, more: string | undefined, joiner = ': ') =>
  more ? `${words}${joiner}${more}` : words;

/** What a step will do, said before it runs ("Send message: Results ready"). */
const PLANNED: Record<string, (facts: StepFacts) => string> = {
  send: (f) => with_('Send message', purposeOf(f)),
  task: (f) => with_('Create task', taskOf(f)),
  update: (f) => with_('Update the record', Object.keys(f.values).join(', ')),
  wait: (f) => with_('Wait', f.wait, ' '),
  'hl7-send': (f) => `Send ${hl7Of(f)}`,
  webhook: (f) => with_('Call a webhook', hostOf(f.values.url), ' at '),
  branch: () => 'Choose a path',
  extract: (f) => `Write ${String(f.values.format ?? 'ndjson').toUpperCase()} extract`,
};

export function plannedWords(facts: StepFacts): string {
  return PLANNED[facts.type]?.(facts) ?? with_(facts.title ?? 'Step', facts.type, ' · ');
}

/** A rule's steps in order ("Send message: Care gap → Wait 3 days → Create task: Coordinator call"). */
export function stepsInWords(steps: PlanStep[] | undefined): string {
  return (steps ?? []).map((step) => plannedWords(factsOf(step))).join(' → ');
}

/** One step of a run as the run log records it (`GET /api/automation/rules/{id}/runs`). */
export interface StepOutcome {
  type: string;
  branch?: 'then' | 'else';
  outcome: 'done' | 'failed' | 'waiting' | 'stopped';
  detail?: string;
  file?: string;
  rows?: number;
}

/** What a step did, said after it ran ("Queued message: Results ready"). */
const DONE: Record<string, (facts: StepFacts, outcome: StepOutcome) => string> = {
  send: (f) => with_('Queued message', purposeOf(f)),
  task: (f) => with_('Created task', taskOf(f)),
  update: () => 'Updated the record',
  wait: (f) => with_('Waited', f.wait, ' '),
  'hl7-send': (f, o) =>
    o.detail === 'no destination takes it'
      ? `Nothing sent: no system is set up to receive HL7 ${text(f.values.message) ?? 'messages'}`
      : `Sent ${hl7Of(f)}`,
  webhook: (f) => with_('Called the webhook', hostOf(f.values.url), ' at '),
  branch: (_, o) => (o.branch === 'else' ? 'Condition not met: took the other path' : 'Condition met'),
  extract: (_, o) => `Wrote ${o.rows ?? 0} rows${o.file ? ` to ${o.file}` : ''}`,
};

const FAILED: Record<string, string> = {
  send: 'Message not queued',
  task: 'Task not created',
  update: 'Record not updated',
  wait: 'The wait failed',
  'hl7-send': 'Not sent to other systems',
  webhook: 'Webhook call failed',
  branch: 'The condition could not be checked',
  extract: 'Extract not written',
};

/** The reason without the request it came from ("POST https://…: refused" → "refused"). */
function reasonOf(detail: string | undefined): string {
  return (detail ?? 'no reason given').replace(/^(?:\d+ tries: )?POST \S+: /, '');
}

/**
 * A run's step in words; `timeIn` says a wake-up time as the clinic's clock does. Unknown
 * types and outcomes read as their codes in words, never as nothing.
 */
export function outcomeWords(
  outcome: StepOutcome,
  facts: StepFacts,
  timeIn: (value: string) => string,
): string {
  if (outcome.outcome === 'failed') return `${FAILED[outcome.type] ?? 'Failed'}: ${reasonOf(outcome.detail)}`;
  if (outcome.outcome === 'waiting')
    return outcome.type === 'wait' && outcome.detail?.startsWith('until ')
      ? `Waiting until ${timeIn(outcome.detail.slice('until '.length))}`
      : 'Waiting to try again';
  if (outcome.outcome === 'stopped')
    return outcome.type === 'wait'
      ? `Stopped after the wait: ${facts.stopsWhen ?? 'no longer needed'}`
      : 'Stopped';
  return DONE[outcome.type]?.(facts, outcome) ?? plannedWords(facts);
}
