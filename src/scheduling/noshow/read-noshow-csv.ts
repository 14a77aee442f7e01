import { ThroughlineError } from '../../kernel/errors.ts';
import type { BookingRecord } from './booking-record.ts';

const required = ['PatientId', 'AppointmentID', 'Gender', 'ScheduledDay', 'AppointmentDay', 'Age', 'No_show'];
const flagColumns: [string, string][] = [
  ['Scholarship', 'welfare programme'],
  ['Hipertension', 'hypertension'],
  ['Diabetes', 'diabetes'],
  ['Alcoholism', 'alcoholism'],
  ['Handcap', 'disability'],
];

/**
 * Reads a CSV in the column layout of the public no-show data set (its README names the
 * columns). `SMS_received` is left out on purpose: reminders are sent after booking, so a
 * model using it would see what was not known when the appointment was booked.
 */
export function readNoShowCsv(text: string, file = 'input'): BookingRecord[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = (lines[0] ?? '').split(',');
  const missing = required.filter((name) => !header.includes(name));
  if (missing.length > 0)
    throw new ThroughlineError('INVALID_REQUEST', `${file}: missing column(s) ${missing.join(', ')}`);
  const at = Object.fromEntries(header.map((name, index) => [name, index]));
  return lines
    .slice(1)
    .map((line, index) => recordOf(line.split(','), { at, where: `${file}:${index + 2}` }));
}

function recordOf(
  cells: string[],
  { at, where }: { at: Record<string, number>; where: string },
): BookingRecord {
  const cell = (name: string) => cells[at[name]!] ?? '';
  const bookedAt = Date.parse(
    cell('ScheduledDay').replace(' ', 'T') + (cell('ScheduledDay').endsWith('Z') ? '' : 'Z'),
  );
  const startsAt = Date.parse(cell('AppointmentDay').slice(0, 10) + 'T00:00:00Z');
  if (Number.isNaN(bookedAt) || Number.isNaN(startsAt))
    throw new ThroughlineError('INVALID_REQUEST', `${where}: ScheduledDay and AppointmentDay must be dates`);
  const outcome = cell('No_show');
  return {
    appointmentId: cell('AppointmentID'),
    personId: cell('PatientId'),
    sex: cell('Gender'),
    age: Math.max(0, Number(cell('Age')) || 0),
    bookedAt,
    startsAt,
    neighbourhood: at.Neighbourhood === undefined ? undefined : cell('Neighbourhood'),
    flags: Object.fromEntries(
      flagColumns
        .filter(([column]) => at[column] !== undefined)
        .map(([column, name]) => [name, Number(cell(column)) || 0]),
    ),
    noShow: outcome === '' ? undefined : outcome === 'Yes',
  };
}
