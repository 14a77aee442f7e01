import type { Patient } from '@medplum/fhirtypes';
import type { Clock } from '../../kernel/clock.ts';
import type { Hl7Destination } from '../../kernel/connectors-config.ts';
import type { FhirRepository, SqlDatabase } from '../../store/index.ts';

/** What outbound HL7 v2 is given by the composition root. */
export interface Hl7OutDeps {
  /** The connector's own scoped store (a system client: destinations get the whole record). */
  repository: FhirRepository;
  /** The database of the change-event stream, the job queue and the message store. */
  db: SqlDatabase;
  clock: Clock;
  destinations: Hl7Destination[];
  /**
   * Records not reported (identity's golden records: each source record is reported itself).
   * Identity knows which they are; the composition root passes it in.
   */
  skipPatient(patient: Patient): boolean;
  /** No ACK within this: the attempt failed and the message is sent again later. */
  ackTimeoutMs: number;
  /** First retry delay after a failed attempt (doubles, capped at 5 minutes). */
  retryBaseSeconds: number;
  /** The worker's job lease (`JOB_LEASE_SECONDS`), which a destination's lease follows. */
  jobLeaseSeconds: number;
}

/** The queue of deliveries: one keyed job per destination keeps its messages in order. */
export const HL7_OUT_QUEUE = 'automation:hl7-out';

/** Each destination's own cursor over the change-event stream. */
export const destinationSubscriber = (name: string): string => `hl7-out:${name}`;
