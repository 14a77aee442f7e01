import type { Clock } from '../kernel/clock.ts';
import type { FhirRepository } from '../store/index.ts';

/** What scheduling's use cases are given: the caller's scoped store, the clock, the clinic's time zone. */
export interface SchedulingDeps {
  repository: FhirRepository;
  clock: Clock;
  /** IANA zone of hours where a Location names none (`CLINIC_TIME_ZONE`). */
  timeZone: string;
}
