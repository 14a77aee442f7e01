import { absentUnlessUnavailable } from '../kernel/errors.ts';
import type { Patient } from '@medplum/fhirtypes';
import { scopeRepository, servicePrincipal } from '../access/index.ts';
import {
  channelsFromConfig,
  coalescedConsents,
  coalescedReads,
  CHANNELS,
  type Channel,
  type ChannelAdapters,
  type DecisionDeps,
  type EngagementDeps,
  type OutreachRules,
} from '../engagement/index.ts';
import { systemClock, type Clock } from '../kernel/clock.ts';
import type { Config } from '../kernel/config.ts';
import type { FhirRepository, SqlDatabase } from '../store/index.ts';
import { compartmentIds, resolvePerson } from './resolve-person.ts';

export const engagementPrincipal = servicePrincipal({ id: 'engagement-service', display: 'Outreach engine' });

/** The outreach engine runs as its own principal: its reads and writes are audited like anyone's. */
export function engagementService(deps: {
  repository: FhirRepository;
  db: SqlDatabase;
  config: Config;
  channels?: ChannelAdapters;
  clock?: Clock;
}): EngagementDeps {
  const { repository, db, config } = deps;
  // Concurrent deliveries' reads by id share one scoped search per type (engine/coalesced-reads.ts),
  // and their consent reads one search for all their people (engine/coalesced-consents.ts).
  const scoped = coalescedReads(
    scopeRepository(repository, {
      principal: engagementPrincipal,
      context: { requestId: 'engagement' },
      auditDb: db,
    }),
  );
  return {
    repository: scoped,
    db,
    clock: deps.clock ?? systemClock,
    channels: deps.channels ?? channelsFromConfig(config, db),
    rules: outreachRules(config),
    personOf: outreachPersonOf(scoped),
    consentsOf: coalescedConsents(scoped),
  };
}

export function outreachRules(config: Config): OutreachRules {
  return {
    quietHours: config.quietHours,
    clinicTimeZone: config.clinicTimeZone,
    smsPerDay: config.smsPerDay,
    smsPerWeek: config.smsPerWeek,
    channelFallback: config.channelFallback.filter((c): c is Channel => CHANNELS.includes(c as Channel)),
    maxAttempts: config.outreachMaxAttempts,
    retryBaseSeconds: config.outreachRetryBaseSeconds,
    reminderHours: config.reminderHours,
    surveyDelayHours: config.surveyDelayHours,
    portalFormsUrl: `${config.baseUrl}/portal/forms`,
    clinicName: config.clinicName,
  };
}

/**
 * Contact points come from the golden record (identity's), the person's consents from all of
 * their records; a record merged away or deactivated is nobody to contact.
 */
export function outreachPersonOf(repository: FhirRepository): EngagementDeps['personOf'] {
  return async (patientId) => {
    const person = await resolvePerson(repository, patientId).catch(absentUnlessUnavailable);
    if (!person) return undefined;
    const self = person.records.find((record) => record.id === patientId);
    if (!person.golden && (self?.active === false || replacedBy(self))) return undefined;
    const patient = person.golden ?? self;
    return patient ? { patient, recordIds: compartmentIds(person), records: person.records } : undefined;
  };
}

function replacedBy(patient: Patient | undefined): boolean {
  return (patient?.link ?? []).some((link) => link.type === 'replaced-by');
}

/**
 * The engine's decision made as a caller would see it (a campaign preview): the same person and
 * consent reads, through the caller's scoped store, so a preview shows nothing they may not read.
 */
export function callerDecisionDeps(repository: FhirRepository, config: Config): DecisionDeps {
  return {
    repository,
    rules: outreachRules(config),
    personOf: outreachPersonOf(repository),
    consentsOf: coalescedConsents(repository),
  };
}
