import * as resources from './001-resources.ts';
import * as searchIndex from './002-search-index.ts';
import * as access from './003-access.ts';
import * as hl7v2Messages from './004-hl7v2-messages.ts';
import * as identity from './005-identity.ts';
import * as jobs from './006-jobs.ts';
import * as auditChain from './007-audit-chain.ts';
import * as authSessions from './008-auth-sessions.ts';
import * as identityModel from './009-identity-model.ts';
import * as breakGlass from './010-break-glass.ts';
import * as patientAccounts from './011-patient-accounts.ts';
import * as identityKeyCount from './012-identity-key-count.ts';
import * as hl7v2ApplicationAck from './013-hl7v2-application-ack.ts';
import * as inboundMessageKey from './014-inbound-message-key.ts';
import * as signInFailures from './015-sign-in-failures.ts';
import * as jobKey from './016-job-key.ts';
import * as outreachOutbox from './017-outreach-outbox.ts';
import * as jobKeyLookup from './018-job-key-lookup.ts';
import * as statisticsTargets from './026-statistics-targets.ts';
import * as exclusiveIdentifiers from './020-exclusive-identifiers.ts';
import * as outboundMessages from './021-outbound-messages.ts';
import * as clientAssertions from './025-client-assertions.ts';
import * as clientJwksUri from './040-client-jwks-uri.ts';
import * as signInCodes from './027-sign-in-codes.ts';
import * as kpiFacts from './028-kpi-facts.ts';
import * as searchStatistics from './029-search-statistics.ts';
import * as kpiSums from './030-kpi-sums.ts';
import * as kpiSumRollups from './031-kpi-sum-rollups.ts';
import * as kpiJourneyStages from './032-kpi-journey-stages.ts';
import * as kpiSumRollupIndex from './034-kpi-sum-rollup-index.ts';
import * as contentCompression from './038-content-compression.ts';

export interface Migration {
  name: string;
  sql: string;
}

/**
 * Every migration, in order. Append only: a migration that has shipped is never edited.
 * Numbers are reserved per module: 002 search, 003 access, 004 hl7v2, 005 identity, 006 jobs, 007 audit chain, 008 auth sessions, 009 identity model, 010 break-glass, 011 patient accounts, 012 identity key count, 013 HL7 v2 application ACK, 014 inbound message key, 015 sign-in failures, 016 job key, 017 outreach outbox (engagement), 018 job key lookup (store: bulk export's leased jobs), 020 exclusive identifiers (scheduling's slot claims), 021 outbound messages (automation's HL7 v2 out), 025 client assertions (access: SMART Backend Services), 026 statistics targets (store), 027 sign-in codes (access: patient sign-in by a one-time code), 028 KPI facts (analytics), 029 search statistics (store), 030 KPI sums (analytics), 031 KPI sum roll-ups (analytics), 032 KPI journey stages (analytics), 034 KPI sum roll-up index (analytics), 038 content compression (store), 040 client JWKS URL (access), 019, 022–024, 033, 035–037 and 039 next free.
 */
export const migrations: Migration[] = [
  { name: '001-resources', sql: resources.sql },
  { name: '002-search-index', sql: searchIndex.sql },
  { name: '003-access', sql: access.sql },
  { name: '004-hl7v2-messages', sql: hl7v2Messages.sql },
  { name: '005-identity', sql: identity.sql },
  { name: '006-jobs', sql: jobs.sql },
  { name: '007-audit-chain', sql: auditChain.sql },
  { name: '008-auth-sessions', sql: authSessions.sql },
  { name: '009-identity-model', sql: identityModel.sql },
  { name: '010-break-glass', sql: breakGlass.sql },
  { name: '011-patient-accounts', sql: patientAccounts.sql },
  { name: '012-identity-key-count', sql: identityKeyCount.sql },
  { name: '013-hl7v2-application-ack', sql: hl7v2ApplicationAck.sql },
  { name: '014-inbound-message-key', sql: inboundMessageKey.sql },
  { name: '015-sign-in-failures', sql: signInFailures.sql },
  { name: '016-job-key', sql: jobKey.sql },
  { name: '017-outreach-outbox', sql: outreachOutbox.sql },
  { name: '018-job-key-lookup', sql: jobKeyLookup.sql },
  { name: '020-exclusive-identifiers', sql: exclusiveIdentifiers.sql },
  { name: '021-outbound-messages', sql: outboundMessages.sql },
  { name: '025-client-assertions', sql: clientAssertions.sql },
  { name: '026-statistics-targets', sql: statisticsTargets.sql },
  { name: '027-sign-in-codes', sql: signInCodes.sql },
  { name: '028-kpi-facts', sql: kpiFacts.sql },
  { name: '029-search-statistics', sql: searchStatistics.sql },
  { name: '030-kpi-sums', sql: kpiSums.sql },
  { name: '031-kpi-sum-rollups', sql: kpiSumRollups.sql },
  { name: '032-kpi-journey-stages', sql: kpiJourneyStages.sql },
  { name: '034-kpi-sum-rollup-index', sql: kpiSumRollupIndex.sql },
  { name: '038-content-compression', sql: contentCompression.sql },
  { name: '040-client-jwks-uri', sql: clientJwksUri.sql },
];
