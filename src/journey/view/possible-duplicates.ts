import type { AttentionItem } from './needs-attention.ts';

/**
 * A record that may be the same person, waiting for staff on identity's review queue (a
 * bare phone-system record, a lab's record under an old number). The view shows who the other
 * record says it is, how strongly it matches and on which fields, and the review Task where
 * staff link, merge or reject it. The server composes it from identity's queue.
 */
export interface PossibleDuplicate {
  /** The review `Task` (identity's queue), e.g. `Task/123`. */
  task: string;
  status: string;
  score: number;
  /** The fields on which the two records agree (positive evidence), strongest first. */
  agreeing: { field: string; level: string; weight: number }[];
  /** The person's own record it was compared with. */
  record: string;
  /** The other record, as that source knows it. */
  candidate: {
    reference: string;
    name?: string;
    birthDate?: string;
    telecom: string[];
    source?: string;
  };
  /** When the pair was queued. */
  since?: string;
}

/** One "needs attention" item per pending pair: the front desk learns the call was hers. */
export function duplicateAttention(duplicates: PossibleDuplicate[]): AttentionItem[] {
  return duplicates.map((duplicate) => {
    const who = [duplicate.candidate.name, ...duplicate.candidate.telecom].filter(Boolean).join(', ');
    const fields = duplicate.agreeing.map((field) => field.field).join(', ');
    const from = duplicate.candidate.source ? ` from ${duplicate.candidate.source}` : '';
    return {
      kind: 'possible-duplicate',
      text: `Possible duplicate record${from}: ${who || duplicate.candidate.reference} (score ${duplicate.score}; agrees on ${fields || 'nothing'})`,
      date: duplicate.since,
      reference: duplicate.task,
    };
  });
}
