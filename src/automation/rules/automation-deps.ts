import type { Coding } from '@medplum/fhirtypes';
import type { Clock } from '../../kernel/clock.ts';
import type { FhirRepository, SqlDatabase } from '../../store/index.ts';
import type { WebhookPolicy } from './post-webhook.ts';

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
  /** Security labels the request carries (the run's: its trigger's). */
  labels?: Coding[];
}

/** Whether the patient may be reached for a purpose now (engagement's consent answer). */
export interface ConsentVerdict {
  permitted: boolean;
  reason: string;
}

/** What an hl7-send action asks for: a message about the triggering write, to one or every destination. */
export interface RuleHl7Order {
  /** `ADT^A08`, `ADT^A31` or `ORU^R01`. */
  message: string;
  /** An `HL7_DESTINATIONS` name; absent: every destination that takes this message type. */
  destination?: string;
  /** The triggering write, `Type/id/_history/version` (an A08 about another type reports its patient). */
  resource: string;
  /** `Patient/{id}` the write belongs to. */
  patient?: string;
}

/** Each destination's answer; `pending` when one gave no ACK (the message waits in the outbound store). */
export interface RuleHl7Result {
  sent: { destination: string; status: string; controlId: string }[];
  pending?: { reason: string; retryInMs: number };
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
  /** Outbound HL7 v2 through the message store (stored, then sent, ACK recorded); absent: hl7-send fails. */
  sendHl7?(order: RuleHl7Order): Promise<RuleHl7Result>;
  /** How `webhook` actions are sent (allowed hosts, signing key); absent: webhook fails. */
  webhooks?: WebhookPolicy;
  /** Absent: the dry run cannot tell, and says so. */
  consentFor?(patient: string, purpose: string): Promise<ConsentVerdict>;
  /** The folder `extract` actions write into (`AUTOMATION_EXTRACT_DIR`); absent: an extract fails. */
  extractRoot?: string;
  /** The clinic's IANA time zone, in which schedules are read (`CLINIC_TIME_ZONE`; default UTC). */
  timeZone?: string;
}

/** The durable queue runs go on (one keyed job per rule version and event). */
export const RUN_QUEUE = 'automation-run';

/** The durable queue a schedule's occurrences go on (one keyed job per rule and occurrence). */
export const OCCURRENCE_QUEUE = 'automation-occurrence';
