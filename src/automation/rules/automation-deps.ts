import type { Clock } from '../../kernel/clock.ts';
import type { FhirRepository, SqlDatabase } from '../../store/index.ts';

/** What a send action asks for: engagement's outreach order, as automation declares it. */
export interface RuleOutreachOrder {
  /** `Patient/{id}`. */
  patient: string;
  purpose: string;
  channel?: string;
  text?: string;
  about?: string[];
  /** Idempotency: the same key twice is the same CommunicationRequest. */
  key: string;
}

/** Whether the patient may be reached for a purpose now (engagement's consent answer). */
export interface ConsentVerdict {
  permitted: boolean;
  reason: string;
}

/**
 * The ports automation acts through, wired by `server` (no capability imports another): the
 * store scoped to the automation principal, the job queue's database, and engagement's send
 * and consent answers.
 */
export interface AutomationDeps {
  repository: FhirRepository;
  db: SqlDatabase;
  clock: Clock;
  requestOutreach(order: RuleOutreachOrder): Promise<{ id: string }>;
  /** Absent: the dry run cannot tell, and says so. */
  consentFor?(patient: string, purpose: string): Promise<ConsentVerdict>;
}

/** The durable queue runs go on (one keyed job per rule version and event). */
export const RUN_QUEUE = 'automation-run';
