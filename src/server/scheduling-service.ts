import { scopeRepository, servicePrincipal } from '../access/index.ts';
import { cachedNoShowModel, type SchedulingReactionDeps } from '../scheduling/index.ts';
import { outreachRequester } from '../engagement/index.ts';
import type { Clock } from '../kernel/clock.ts';
import type { Config } from '../kernel/config.ts';
import { scheduleKeyedJob, type FhirRepository, type SqlDatabase } from '../store/index.ts';

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
  // Waitlist offers go out through engagement (consent, channel, quiet hours), as reminders
  // about the waitlist Appointment: a YES reply confirms it, which books the offered time.
  const requestOutreach = outreachRequester(scoped, deps.clock);
  const send: SchedulingReactionDeps['send'] = async (message) => {
    await requestOutreach({
      ...message,
      about: [message.about],
      purpose: 'appointment-reminder',
      priority: 'urgent',
    });
  };
  return {
    ...base,
    model: cachedNoShowModel(base),
    send,
    noShowAfterMinutes: deps.config.noShowAfterMinutes,
    scheduleJob: (job) => scheduleKeyedJob(deps.db, job),
  };
}
