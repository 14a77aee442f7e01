import { scopeRepository, servicePrincipal } from '../access/index.ts';
import { keepKpiFacts } from '../analytics/index.ts';
import {
  catchUpSubscriber,
  type EventHandler,
  type FhirRepository,
  type SqlDatabase,
} from '../store/index.ts';

/** The analytics service: reads every record for the KPIs, as its own principal (audited). */
export const analyticsService = servicePrincipal({ id: 'analytics', display: 'Analytics (KPIs)' });

/** The reaction that keeps the KPI facts, reading through the analytics service's store. */
export function kpiFactsReaction(deps: { repository: FhirRepository; db: SqlDatabase }): EventHandler {
  const caller = {
    principal: analyticsService,
    context: { requestId: 'analytics-kpi-facts' },
    auditDb: deps.db,
  };
  return keepKpiFacts({ repository: scopeRepository(deps.repository, caller), db: deps.db });
}

/**
 * Before a KPI answer: the facts of every write committed so far. Usually the reactions have
 * kept them already and this finds nothing to do; a process whose reactions run elsewhere
 * (`BACKGROUND_WORKER=off`) or lag behind catches up here.
 */
export function catchUpKpiFacts(deps: { repository: FhirRepository; db: SqlDatabase }): Promise<number> {
  return catchUpSubscriber(deps.db, kpiFactsReaction(deps), { batchSize: 1000 });
}
