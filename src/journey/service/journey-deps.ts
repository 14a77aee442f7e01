import type { Clock } from '../../kernel/clock.ts';
import type { FhirRepository } from '../../store/index.ts';
import type { JourneyCatalog } from '../definitions/definitions.ts';

/** A person: the id journey artifacts attach to (the golden record when linked) and all their records. */
export interface Person {
  id: string;
  recordIds: string[];
}

export interface JourneyDeps {
  /** The journey service's scoped store (its reads and writes are audited like anyone's). */
  repository: FhirRepository;
  catalog: JourneyCatalog;
  clock: Clock;
  /**
   * Who a patient id belongs to, or undefined for records that are no person (merged away,
   * inactive). Identity knows; the composition root passes it in (no capability imports another).
   */
  personOf(patientId: string): Promise<Person | undefined>;
}
