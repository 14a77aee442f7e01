import type { Patient } from '@medplum/fhirtypes';
import type { MatchEngine, MatchOutcome } from '../service/match-engine.ts';
import { compareFields, defaultWeights, type MatchWeights } from './compare-fields.ts';
import { toMatchRecord, type MatchRecord } from './match-record.ts';
import { soundex } from './normalize.ts';

export interface EngineSettings {
  weights: MatchWeights;
  /** Total weight at or above which records are linked without review. */
  autoLink: number;
  /** Total weight at or above which a pair is queued for review. */
  review: number;
}

export const defaultSettings: EngineSettings = { weights: defaultWeights, autoLink: 17, review: 7 };

/**
 * Blocking keys: several, so a typo in one field does not hide a true pair — phonetic family
 * + birth year, phonetic given + birth date, birth date + sex, each phone, each email, each
 * identifier, postcode + initials.
 */
export function blockingKeysOf(record: MatchRecord): string[] {
  const year = record.birthDate.slice(0, 4);
  const keys = [
    record.family && year ? `fy:${soundex(record.family)}:${year}` : '',
    record.given && record.birthDate ? `gd:${soundex(record.given)}:${record.birthDate}` : '',
    record.family && record.given ? `fg:${soundex(record.family)}:${soundex(record.given)}` : '',
    record.birthDate && record.gender ? `ds:${record.birthDate}:${record.gender}` : '',
    record.postcode && record.given && record.family
      ? `pi:${record.postcode}:${record.given[0]}${record.family[0]}`
      : '',
    ...record.phones.map((phone) => `ph:${phone}`),
    ...record.emails.map((email) => `em:${email}`),
    ...record.identifiers.map((identifier) => `id:${identifier}`),
  ];
  return [...new Set(keys.filter(Boolean))];
}

export function scoreRecords(
  a: MatchRecord,
  b: MatchRecord,
  settings: EngineSettings = defaultSettings,
): MatchOutcome {
  const explanation = compareFields(a, b, settings.weights);
  const score = Math.round(explanation.reduce((sum, field) => sum + field.weight, 0) * 100) / 100;
  // A strong disagreement (a different given name, a different birth date) is what twins and
  // relatives in one household look like: however much else agrees, a person decides.
  const contradicted = explanation.some((field) => field.weight <= -4);
  const band =
    score >= settings.autoLink && !contradicted
      ? 'auto-link'
      : score >= settings.review
        ? 'review'
        : 'no-link';
  return { score, band, explanation };
}

/** The engine the identity service uses by default. */
export function createBasicEngine(settings: EngineSettings = defaultSettings): MatchEngine {
  return {
    blockingKeys: (patient: Patient) => blockingKeysOf(toMatchRecord(patient)),
    compare: (a: Patient, b: Patient) => scoreRecords(toMatchRecord(a), toMatchRecord(b), settings),
  };
}
