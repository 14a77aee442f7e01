import type { Appointment, Bundle, Patient } from '@medplum/fhirtypes';
import type { SchedulingDeps } from '../scheduling-deps.ts';
import { bookingRecordOf } from './booking-from-fhir.ts';
import type { BookingRecord } from './booking-record.ts';
import { trainNoShowModel, type NoShowModel } from './train-noshow-model.ts';

const PAGE = 1000;
const MOST_PAGES = 50;
/** Below this many past outcomes (or without both kinds) the clinic's history says too little. */
const FEWEST_OUTCOMES = 100;

/** Past Appointments with their outcome, and their patients, a page at a time. */
async function pastOutcomes(deps: SchedulingDeps): Promise<BookingRecord[]> {
  const records: BookingRecord[] = [];
  for (let page = 0; page < MOST_PAGES; page++) {
    const bundle: Bundle = await deps.repository.search({
      resourceType: 'Appointment',
      params: [
        ['status', 'fulfilled,noshow,arrived,checked-in'],
        ['date', `lt${deps.clock.now().toISOString()}`],
        ['_include', 'Appointment:patient'],
        ['_count', String(PAGE)],
        ['_offset', String(page * PAGE)],
      ],
    });
    const entries = bundle.entry ?? [];
    const patients = new Map(
      entries
        .filter((entry) => entry.resource?.resourceType === 'Patient')
        .map((entry) => [`Patient/${entry.resource!.id}`, entry.resource as Patient]),
    );
    const appointments = entries
      .filter((entry) => entry.search?.mode !== 'include')
      .map((e) => e.resource as Appointment);
    for (const appointment of appointments) {
      const patient = patients.get(
        appointment.participant.find((p) => p.actor?.reference?.startsWith('Patient/'))?.actor?.reference ??
          '',
      );
      const record = bookingRecordOf(appointment, patient);
      if (record) records.push(record);
    }
    if (appointments.length < PAGE) break;
  }
  return records;
}

/**
 * The no-show model of this clinic, trained on its own past appointments (attended or not);
 * undefined while the history is too thin to say anything.
 */
export async function trainFromHistory(deps: SchedulingDeps): Promise<NoShowModel | undefined> {
  const records = await pastOutcomes(deps);
  const noShows = records.filter((record) => record.noShow).length;
  if (records.length < FEWEST_OUTCOMES || noShows === 0 || noShows === records.length) return undefined;
  return trainNoShowModel(records);
}
