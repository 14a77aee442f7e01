import { scopeRepository, servicePrincipal } from '../access/index.ts';
import type { JourneyDeps } from '../journey/index.ts';
import type { Clock } from '../kernel/clock.ts';
import type { FhirRepository, SqlDatabase } from '../store/index.ts';
import { personResolver } from './resolve-person.ts';

/** The journey engine runs as its own principal: its reads and writes are audited like anyone's. */
export function journeyService(deps: {
  repository: FhirRepository;
  db: SqlDatabase;
  catalog: JourneyDeps['catalog'];
  clock: Clock;
}): JourneyDeps {
  const { repository, db, catalog, clock } = deps;
  const principal = servicePrincipal({ id: 'journey-service', display: 'Journey engine' });
  const scoped = scopeRepository(repository, { principal, context: { requestId: 'journey' }, auditDb: db });
  return { repository: scoped, catalog, clock, personOf: personResolver(scoped) };
}
