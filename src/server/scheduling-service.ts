import { scopeRepository, servicePrincipal } from '../access/index.ts';
import { cachedNoShowModel, type SchedulingReactionDeps } from '../scheduling/index.ts';
import type { Clock } from '../kernel/clock.ts';
import type { Config } from '../kernel/config.ts';
import type { FhirRepository, SqlDatabase } from '../store/index.ts';

/** Scheduling's reactions run as their own principal: their reads and writes are audited like anyone's. */
export function schedulingService(deps: {
  repository: FhirRepository;
  db: SqlDatabase;
  config: Config;
  clock: Clock;
}): SchedulingReactionDeps {
  const principal = servicePrincipal({ id: 'scheduling-service', display: 'Scheduling' });
  const scoped = scopeRepository(deps.repository, {
    principal,
    context: { requestId: 'scheduling' },
    auditDb: deps.db,
  });
  const base = { repository: scoped, clock: deps.clock, timeZone: deps.config.clinicTimeZone };
  return { ...base, model: cachedNoShowModel(base) };
}
