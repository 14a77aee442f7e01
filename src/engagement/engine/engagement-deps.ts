import type { Consent, Patient } from '@medplum/fhirtypes';
import type { Clock } from '../../kernel/clock.ts';
import type { FhirRepository, SqlDatabase } from '../../store/index.ts';
import type { ChannelAdapters } from '../channels/channel.ts';
import type { QuietHours } from '../consent/quiet-hours.ts';
import type { Channel } from '../model/outreach-codes.ts';

/** The clinic's rules at the moment of sending (from configuration). */
export interface OutreachRules {
  quietHours?: QuietHours;
  clinicTimeZone: string;
  smsPerDay: number;
  smsPerWeek: number;
  /** The clinic's channel order after the patient's own. */
  channelFallback: Channel[];
  /** Tries per channel before failing over (and, on the last channel, dead-lettering). */
  maxAttempts: number;
  retryBaseSeconds: number;
  /** Hours before an appointment its reminders fall due. */
  reminderHours: number[];
  /** Hours after a visit its satisfaction survey falls due (absent: 2). */
  surveyDelayHours?: number;
  /** Where the portal's forms are (`{BASE_URL}/portal/forms`): the link a survey carries. */
  portalFormsUrl?: string;
  /** The clinic's name in messages. */
  clinicName: string;
}

/** Who a patient is for outreach: the record whose contact points count (golden when linked). */
export interface OutreachPerson {
  /** The golden record when identity linked one, else the record itself. */
  patient: Patient;
  /** Every record of the person (compartments holding their consents and messages). */
  recordIds: string[];
  /** The person's source records, when known: her own preferences (quiet hours) live there. */
  records?: Patient[];
}

export interface EngagementDeps {
  /** Engagement's scoped store: it writes as its own service principal, audited. */
  repository: FhirRepository;
  /** The database of the durable job queue. */
  db: SqlDatabase;
  clock: Clock;
  channels: ChannelAdapters;
  rules: OutreachRules;
  /**
   * The person a patient id stands for; undefined for records merged away or inactive (never
   * contacted). Identity knows; the composition root passes it in.
   */
  personOf(patientId: string): Promise<OutreachPerson | undefined>;
  /** The active Consents of a person's records, read when a message is about to go. */
  consentsOf(recordIds: readonly string[]): Promise<Consent[]>;
}

/** The queue of delivery jobs: one keyed job per CommunicationRequest. */
export const DELIVERY_QUEUE = 'engagement:deliver';

/** What deciding a delivery needs (no channels, no queue): the delivery and its preview share it. */
export type DecisionDeps = Pick<EngagementDeps, 'repository' | 'rules' | 'personOf' | 'consentsOf'>;
