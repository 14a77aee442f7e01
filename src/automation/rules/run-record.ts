import type { Coding, Extension, GuidanceResponse, Resource } from '@medplum/fhirtypes';
import type { ActionType } from './rule-profile.ts';
import type { Side } from './rule-steps.ts';
import { ACTION_OUTCOME_URL, EVENT_SYSTEM, RUN_KEY_SYSTEM, RUN_RULE_SYSTEM } from './rule-profile.ts';

/** One action's outcome in a run. */
export interface ActionOutcome {
  /** Position in the run (the rule's action index while no branch came before). */
  index: number;
  /** Where the step sits in the rule when inside a branch (`1.then.0`). */
  step?: string;
  type: ActionType;
  /** A branch: the side it took (`detail` says why). */
  branch?: Side;
  outcome: 'done' | 'failed' | 'waiting' | 'stopped';
  detail?: string;
  /** What it created or changed (`Type/id`). */
  result?: string;
  /** An extract: the file written (relative to the extract folder), its rows and bytes. */
  file?: string;
  rows?: number;
  bytes?: number;
  at: string;
}

/** A run as the API shows it; stored as a GuidanceResponse (the result of evaluating a rule). */
export interface RuleRun {
  id?: string;
  key: string;
  rule: { id: string; version: string; title: string };
  event: string;
  patient?: string;
  status: 'success' | 'failure' | 'in-progress';
  reason?: string;
  actions: ActionOutcome[];
  at: string;
  /**
   * The security labels of the write that triggered it (`labelsOf`): a run tells what happened
   * to whom — that a patient's care gap opened, that a restricted patient's address changed — so
   * nobody may read the run who may not read its trigger, as the journey's derived work items
   * carry the labels of the record they come from.
   */
  labels?: Coding[];
}

/**
 * The labels a run takes from its trigger: those of the version written and of the one before
 * (a change that removed a label is about the labelled version too), never a masked copy's
 * REDACTED, which is no sensitivity.
 */
export function labelsOf(write: { resource?: Resource; previous?: Resource }): Coding[] | undefined {
  const labels = new Map<string, Coding>();
  for (const version of [write.resource, write.previous])
    for (const label of version?.meta?.security ?? [])
      if (label.code !== 'REDACTED') labels.set(`${label.system}|${label.code}`, label);
  return labels.size > 0 ? [...labels.values()] : undefined;
}

export function runToResource(run: RuleRun): GuidanceResponse {
  return {
    resourceType: 'GuidanceResponse',
    ...(run.id ? { id: run.id } : {}),
    ...(run.labels ? { meta: { security: run.labels } } : {}),
    identifier: [
      { system: RUN_KEY_SYSTEM, value: run.key },
      { system: RUN_RULE_SYSTEM, value: run.rule.id },
    ],
    requestIdentifier: { system: EVENT_SYSTEM, value: run.event },
    moduleUri: `PlanDefinition/${run.rule.id}/_history/${run.rule.version}`,
    status: run.status,
    ...(run.patient ? { subject: { reference: run.patient } } : {}),
    occurrenceDateTime: run.at,
    ...(run.reason ? { reasonCode: [{ text: run.reason }] } : {}),
    note: [{ text: run.rule.title }],
    extension: run.actions.map(outcomeExtension),
  };
}

function outcomeExtension(outcome: ActionOutcome): Extension {
  const parts: Extension[] = [
    { url: 'index', valueInteger: outcome.index },
    { url: 'type', valueCode: outcome.type },
    { url: 'outcome', valueCode: outcome.outcome },
    { url: 'at', valueDateTime: outcome.at },
  ];
  if (outcome.step) parts.push({ url: 'step', valueString: outcome.step });
  if (outcome.branch) parts.push({ url: 'branch', valueCode: outcome.branch });
  if (outcome.detail) parts.push({ url: 'detail', valueString: outcome.detail });
  if (outcome.result) parts.push({ url: 'result', valueReference: { reference: outcome.result } });
  if (outcome.file) parts.push({ url: 'file', valueString: outcome.file });
  if (outcome.rows !== undefined) parts.push({ url: 'rows', valueInteger: outcome.rows });
  // valueDecimal: a file may pass 2 GiB, an integer's limit.
  if (outcome.bytes !== undefined) parts.push({ url: 'bytes', valueDecimal: outcome.bytes });
  return { url: ACTION_OUTCOME_URL, extension: parts };
}

export function runFromResource(resource: GuidanceResponse): RuleRun {
  const [, id = '', , version = ''] = (resource.moduleUri ?? '').split('/');
  const key = resource.identifier?.find((i) => i.system === RUN_KEY_SYSTEM)?.value ?? '';
  return {
    id: resource.id,
    key,
    rule: { id, version, title: resource.note?.[0]?.text ?? '' },
    event: resource.requestIdentifier?.value ?? '',
    ...(resource.subject?.reference ? { patient: resource.subject.reference } : {}),
    status: resource.status as RuleRun['status'],
    ...(resource.reasonCode?.[0]?.text ? { reason: resource.reasonCode[0].text } : {}),
    actions: (resource.extension ?? []).filter((e) => e.url === ACTION_OUTCOME_URL).map(outcomeOf),
    at: resource.occurrenceDateTime ?? '',
    ...(resource.meta?.security?.length ? { labels: resource.meta.security } : {}),
  };
}

function outcomeOf(extension: Extension): ActionOutcome {
  const part = (url: string) => extension.extension?.find((e) => e.url === url);
  return {
    index: part('index')?.valueInteger ?? 0,
    type: part('type')?.valueCode as ActionType,
    outcome: part('outcome')?.valueCode as ActionOutcome['outcome'],
    at: part('at')?.valueDateTime ?? '',
    ...(part('step') ? { step: part('step')!.valueString } : {}),
    ...(part('branch') ? { branch: part('branch')!.valueCode as Side } : {}),
    ...(part('detail') ? { detail: part('detail')!.valueString } : {}),
    ...(part('result') ? { result: part('result')!.valueReference!.reference } : {}),
    ...(part('file') ? { file: part('file')!.valueString } : {}),
    ...(part('rows') ? { rows: part('rows')!.valueInteger } : {}),
    ...(part('bytes') ? { bytes: part('bytes')!.valueDecimal } : {}),
  };
}
