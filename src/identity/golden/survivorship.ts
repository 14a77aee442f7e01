import type { Patient } from '@medplum/fhirtypes';

/**
 * Survivorship: how the golden record's fields are chosen from the person's linked source
 * records. Each field has a rule; rules are configuration (`SurvivorshipConfig`).
 * - `most-trusted`: from the record whose source is trusted most (ties: most recent)
 * - `most-recent`: from the most recently updated record that has the field
 * - `most-frequent`: the value most records agree on (ties: most trusted)
 * - `most-complete`: the value with the most content (e.g. a full address over a partial one)
 * - `union`: every distinct value (phones, emails)
 *
 * Identifiers are deliberately not copied: an MRN belongs to its source record, and a golden
 * record carrying it would make `Patient?identifier=` (and every conditional update by MRN,
 * e.g. the next ADT) match two resources.
 */
export type SurvivorshipRule = 'most-trusted' | 'most-recent' | 'most-frequent' | 'most-complete' | 'union';

export type SurvivingField =
  | 'name'
  | 'birthDate'
  | 'gender'
  | 'telecom'
  | 'address'
  | 'communication'
  | 'maritalStatus'
  | 'deceasedBoolean'
  | 'deceasedDateTime'
  | 'generalPractitioner'
  | 'managingOrganization';

export interface SurvivorshipConfig {
  rules: Record<SurvivingField, SurvivorshipRule>;
  /** Trust per source (the record's `meta.source`); unknown sources score 0. */
  sourceTrust: Record<string, number>;
}

export const defaultSurvivorship: SurvivorshipConfig = {
  rules: {
    name: 'most-trusted',
    birthDate: 'most-frequent',
    gender: 'most-frequent',
    telecom: 'union',
    address: 'most-recent',
    communication: 'most-recent',
    maritalStatus: 'most-recent',
    deceasedBoolean: 'most-recent',
    deceasedDateTime: 'most-recent',
    generalPractitioner: 'most-recent',
    managingOrganization: 'most-trusted',
  },
  sourceTrust: {},
};

interface Candidate {
  record: Patient;
  trust: number;
  updated: string;
}

const key = (value: unknown): string => JSON.stringify(value);

/** The golden record's demographic fields, computed from the source records. */
export function surviveFields(
  records: Patient[],
  config: SurvivorshipConfig = defaultSurvivorship,
): Partial<Patient> {
  const candidates: Candidate[] = records.map((record) => ({
    record,
    trust: config.sourceTrust[record.meta?.source ?? ''] ?? 0,
    updated: record.meta?.lastUpdated ?? '',
  }));
  const golden: Record<string, unknown> = {};
  for (const [field, rule] of Object.entries(config.rules) as [SurvivingField, SurvivorshipRule][]) {
    const value = pick(
      candidates.filter((candidate) => hasValue(candidate.record[field])),
      field,
      rule,
    );
    if (value !== undefined) golden[field] = value;
  }
  return golden as Partial<Patient>;
}

function hasValue(value: unknown): boolean {
  return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
}

function pick(candidates: Candidate[], field: SurvivingField, rule: SurvivorshipRule): unknown {
  if (candidates.length === 0) return undefined;
  const byTrust = [...candidates].sort((a, b) => b.trust - a.trust || b.updated.localeCompare(a.updated));
  const byRecency = [...candidates].sort((a, b) => b.updated.localeCompare(a.updated) || b.trust - a.trust);
  switch (rule) {
    case 'most-trusted':
      return structuredClone(byTrust[0]!.record[field]);
    case 'most-recent':
      return structuredClone(byRecency[0]!.record[field]);
    case 'most-complete':
      return structuredClone(
        [...byTrust].sort((a, b) => key(b.record[field]).length - key(a.record[field]).length)[0]!.record[
          field
        ],
      );
    case 'most-frequent':
      return mostFrequent(byTrust.map((candidate) => candidate.record[field]));
    case 'union':
      return union(byRecency.flatMap((candidate) => candidate.record[field] as unknown[]));
  }
}

function mostFrequent(values: unknown[]): unknown {
  const counts = new Map<string, { value: unknown; count: number }>();
  for (const value of values) {
    const entry = counts.get(key(value)) ?? { value, count: 0 };
    entry.count++;
    counts.set(key(value), entry);
  }
  // Map keeps insertion order (trust order), so a tie goes to the most trusted value.
  return structuredClone([...counts.values()].sort((a, b) => b.count - a.count)[0]!.value);
}

function union(values: unknown[]): unknown[] {
  const seen = new Map<string, unknown>();
  for (const value of values) {
    const { period: _period, rank: _rank, ...comparable } = value as Record<string, unknown>;
    if (!seen.has(key(comparable))) seen.set(key(comparable), structuredClone(value));
  }
  return [...seen.values()];
}
