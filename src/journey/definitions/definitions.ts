import { readFileSync } from 'node:fs';
import { ThroughlineError } from '../../kernel/errors.ts';
import { compileFhirPath } from '../engine/fhirpath.ts';
import { parseRelativeDate } from '../engine/relative-dates.ts';
import type { ReferralLoopDefinition } from '../referrals/referral-loop-task.ts';

/** One stage of a journey. Expressions are FHIRPath over the person's record (a Bundle). */
export interface StageDefinition {
  code: string;
  display: string;
  /** The patient has reached this stage (or gone beyond it). */
  entry: string;
  /** The patient has left this stage again although `entry` still holds (e.g. new open work). */
  exit?: string;
  /** Dates of the events that put the patient in this stage; the latest past one is when they entered. */
  since?: string;
  /** How long a patient is expected to stay; longer is a pain point. */
  slaDays?: number;
  expectedActions?: string[];
}

export interface JourneyDefinition {
  id: string;
  version: number;
  title: string;
  description?: string;
  /** Named dates relative to now, as ISO 8601 durations (`-P6M`), usable as `%name`. */
  dates?: Record<string, string>;
  /** Who the journey is for (default: everyone). */
  appliesTo?: string;
  /** In journey order: a patient is at the furthest stage whose entry holds and exit does not. */
  stages: StageDefinition[];
}

/**
 * A care gap, a pain point or a follow-up, found in the record. With `focus`, one per focus
 * resource (each referral, each message); otherwise one per person. Open while `appliesTo`
 * holds and `satisfiedWhen` does not; it closes by itself when the record shows it was done.
 */
export interface SignalRule {
  id: string;
  version: number;
  kind: 'care-gap' | 'pain-point' | 'follow-up';
  title: string;
  description?: string;
  /** The worklist an open signal appears on, as a `Task`. */
  worklist?: string;
  /** Recorded as a pain point (`Flag`) while open. */
  painPoint?: boolean;
  priority?: 'routine' | 'urgent' | 'asap' | 'stat';
  /** Names a condition, result or medicine: the Task or Flag is labelled CLINICAL. */
  clinicalDetail?: boolean;
  dates?: Record<string, string>;
  appliesTo?: string;
  focus?: string;
  /** Default `false`: open as long as it applies. `%focus` is the focus resource, `%record` the record. */
  satisfiedWhen?: string;
}

export interface JourneyCatalog {
  journeys: JourneyDefinition[];
  signals: SignalRule[];
  /** The referral loop's steps and SLAs; absent: referrals are not tracked. */
  referralLoop?: ReferralLoopDefinition;
}

const readJson = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`./${name}`, import.meta.url), 'utf8')) as T;

/** The definitions that ship with Throughline, checked once (every expression parses). */
export function loadDefaultCatalog(): JourneyCatalog {
  return checkCatalog({
    journeys: [readJson('patient-journey.json'), readJson('chronic-care-journey.json')],
    signals: readJson<{ rules: SignalRule[] }>('signal-rules.json').rules,
    referralLoop: readJson<ReferralLoopDefinition>('referral-loop.json'),
  });
}

/** Fails with the definition and field at fault, so a bad definition stops startup, not a patient. */
export function checkCatalog(catalog: JourneyCatalog): JourneyCatalog {
  catalog.journeys.forEach((journey, index) => {
    const at = `journeys[${index}](${journey.id})`;
    checkDates(journey.dates, at);
    checkExpression(journey.appliesTo, `${at}.appliesTo`);
    if (!journey.stages?.length) throw invalid(`${at}.stages`, 'a journey needs at least one stage');
    journey.stages.forEach((stage, s) => {
      for (const field of ['entry', 'exit', 'since'] as const)
        checkExpression(stage[field], `${at}.stages[${s}](${stage.code}).${field}`);
    });
  });
  catalog.signals.forEach((rule, index) => {
    const at = `signals[${index}](${rule.id})`;
    checkDates(rule.dates, at);
    for (const field of ['appliesTo', 'focus', 'satisfiedWhen'] as const)
      checkExpression(rule[field], `${at}.${field}`);
  });
  return catalog;
}

function checkExpression(expression: string | undefined, path: string): void {
  if (expression === undefined) return;
  try {
    compileFhirPath(expression);
  } catch (error) {
    throw invalid(path, `not a FHIRPath expression: ${(error as Error).message}`);
  }
}

function checkDates(dates: Record<string, string> | undefined, path: string): void {
  for (const [name, duration] of Object.entries(dates ?? {}))
    if (!parseRelativeDate(duration))
      throw invalid(`${path}.dates.${name}`, `not an ISO 8601 duration: ${duration}`);
}

const invalid = (path: string, message: string) =>
  new ThroughlineError('CONFIG_INVALID', `Journey definition ${path}: ${message}`, { expression: path });
