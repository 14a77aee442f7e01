import type { Appointment } from './model.ts';

/** `20261208T080000Z`: iCalendar's UTC date-time (RFC 5545 §3.3.5). */
const icsTime = (iso: string) =>
  new Date(iso)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** Commas, semicolons, backslashes and newlines are escaped in TEXT values (RFC 5545 §3.3.11). */
const icsText = (text: string) => text.replace(/[\\,;]/g, (c) => `\\${c}`).replace(/\n/g, '\\n');

/** One VEVENT for the appointment, in UTC, so every calendar shows it at the right hour. */
export function icsOf(
  appointment: Appointment,
  detail: { title: string; where?: string; now: Date },
): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Throughline//Patient portal//EN',
    'BEGIN:VEVENT',
    `UID:${appointment.id}@throughline`,
    `DTSTAMP:${icsTime(detail.now.toISOString())}`,
    `DTSTART:${icsTime(appointment.start!)}`,
    `DTEND:${icsTime(appointment.end ?? appointment.start!)}`,
    `SUMMARY:${icsText(detail.title)}`,
    ...(detail.where ? [`LOCATION:${icsText(detail.where)}`] : []),
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/** Saves the .ics through a link to an in-memory file (no request leaves the page). */
export function downloadIcs(name: string, ics: string): void {
  const url = URL.createObjectURL(new Blob([ics], { type: 'text/calendar' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
