import type { Patient } from '@medplum/fhirtypes';
import {
  quietHoursExtension,
  quietHoursOnRecord,
  QUIET_HOURS_EXTENSION,
  retimeDeliveries,
  type QuietHours,
} from '../engagement/index.ts';
import type { Clock } from '../kernel/clock.ts';
import { ThroughlineError } from '../kernel/errors.ts';
import type { FhirRepository, SqlDatabase } from '../store/index.ts';

/**
 * Her quiet hours from the portal (issue 20): written to her own Patient record with her own
 * store (a documented extension engagement reads at the moment of sending), then her queued
 * messages' delivery jobs are brought forward (`retimeDeliveries`, on the portal's service
 * store), so a message held back by her old hours is decided again at once.
 */
export interface PortalQuietHoursDeps {
  own: FhirRepository;
  service: FhirRepository;
  db: SqlDatabase;
  clock: Clock;
  patient: string;
  /** Every record of her person: where her queued messages live. */
  recordIds: string[];
  /** The clinic's own quiet hours (`QUIET_HOURS`), shown beside hers. */
  clinic?: QuietHours;
}

export interface QuietHoursView {
  own?: QuietHours;
  clinic?: QuietHours;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** `{start, end}` as `HH:MM` (24 h), different from each other (400 naming the field otherwise). */
export function quietHoursOf(body: unknown): QuietHours {
  const { start, end } = (body ?? {}) as Record<string, unknown>;
  for (const [name, value] of [
    ['start', start],
    ['end', end],
  ] as const)
    if (typeof value !== 'string' || !HHMM.test(value))
      throw new ThroughlineError('INVALID_REQUEST', `${name} must be a time as HH:MM (24 hours)`, {
        expression: name,
      });
  if (start === end)
    throw new ThroughlineError('INVALID_REQUEST', 'end must differ from start', { expression: 'end' });
  return { start: start as string, end: end as string };
}

export async function quietHoursFor(deps: PortalQuietHoursDeps): Promise<QuietHoursView> {
  const patient = await deps.own.read<Patient>('Patient', deps.patient);
  return { own: quietHoursOnRecord(patient), clinic: deps.clinic };
}

/** Sets her quiet hours (or, with none, goes back to the clinic's) and re-times what is queued. */
export async function setQuietHours(
  deps: PortalQuietHoursDeps,
  quietHours: QuietHours | undefined,
): Promise<QuietHoursView> {
  const patient = await deps.own.read<Patient>('Patient', deps.patient);
  const others = (patient.extension ?? []).filter((each) => each.url !== QUIET_HOURS_EXTENSION);
  const extension = quietHours ? [...others, quietHoursExtension(quietHours)] : others;
  await deps.own.update<Patient>({ ...patient, extension: extension.length ? extension : undefined });
  await retimeDeliveries({ repository: deps.service, db: deps.db, clock: deps.clock }, deps.recordIds);
  return { own: quietHours, clinic: deps.clinic };
}
