import type { Clock } from '../kernel/clock.ts';
import type { Config } from '../kernel/config.ts';
import type { Logger } from '../kernel/logger.ts';
import type { FhirRepository, SqlDatabase } from '../store/index.ts';
import type { Principal, TokenSettings } from '../access/index.ts';
import type { JourneyCatalog } from '../journey/index.ts';
import type { MatchEngine } from '../identity/index.ts';
import type { ExportJobs } from '../analytics/index.ts';
import type { SignInCodeService } from './sign-in-code-service.ts';

/** What the HTTP routes are given by the composition root. */
export interface ServerDeps {
  /** The unscoped store: routes only ever use the scoped one on `request.fhir`. */
  repository: FhirRepository;
  db: SqlDatabase;
  tokens: TokenSettings;
  config: Config;
  logger: Logger;
  /** The record-linkage engine behind `Patient/$match` and match-on-write. */
  engine: MatchEngine;
  /** Journey definitions and care-gap / pain-point rules. */
  catalog: JourneyCatalog;
  /** The one source of "now" for every route (tests pin the day with `fixedClock`). */
  clock: Clock;
  /** Bulk Data exports running in this process (`$export`). */
  exports: ExportJobs;
  /** Patient sign-in codes: issued, sent and audited after the request's answer has gone. */
  signInCodes: SignInCodeService;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The store scoped to the caller by the access checkpoint (set by the auth hook). */
    fhir: FhirRepository;
    /** Who is calling (set by the auth hook): a caregiver acting for a dependant is her proxy. */
    principal: Principal;
    /** Who signed in, whoever she acts for (`X-Acting-For`): the portal's person switcher. */
    signedIn: Principal;
  }
}
