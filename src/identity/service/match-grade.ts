import type { MatchOutcome } from './match-engine.ts';

/**
 * The FHIR match-grade value set (http://hl7.org/fhir/ValueSet/match-grade), used on
 * `Bundle.entry.search` by the `http://hl7.org/fhir/StructureDefinition/match-grade` extension.
 */
export type MatchGrade = 'certain' | 'probable' | 'possible' | 'certainly-not';

/**
 * Below the review band, a candidate whose evidence still leans towards one person (summed
 * weight of at least this many bits: the fields are likelier to look like this for one person
 * than for two random records) is returned as `possible`; below it, it is not returned.
 */
export const POSSIBLE_FLOOR = 0;

/**
 * Band ↔ grade: auto-link → `certain` (linked without a person), review → `probable` (a person
 * should look), below review but at or above `POSSIBLE_FLOOR` → `possible`, anything lower →
 * `certainly-not` (only ever shown when a pair is explained; `$match` leaves such records out).
 */
export function matchGrade(outcome: Pick<MatchOutcome, 'band' | 'score'>): MatchGrade {
  if (outcome.band === 'auto-link') return 'certain';
  if (outcome.band === 'review') return 'probable';
  return outcome.score >= POSSIBLE_FLOOR ? 'possible' : 'certainly-not';
}
