import type { Proposal } from './use-booking.ts';

/** One time to choose: the proposal booked when chosen, and how many others are free then too. */
export interface TimeOption {
  key: string;
  proposal: Proposal;
  /** Other practitioners free at the same time for the same visit type (any practitioner). */
  alsoFree: number;
}

/** One visit type's times on a day. */
export interface VisitTimes {
  visitType: string;
  options: TimeOption[];
}

/** One day's free times (`YYYY-MM-DD` in the browser's time), by visit type, earliest first. */
export interface FreeDay {
  day: string;
  visits: VisitTimes[];
}

export const practitionerOf = (time: Proposal): string | undefined =>
  time.participant.find((p) => p.actor?.reference?.startsWith('Practitioner/'))?.actor?.reference;

export const locationOf = (time: Proposal): string | undefined =>
  time.participant.find((p) => p.actor?.reference?.startsWith('Location/'))?.actor?.reference;

/** The visit type's service-type code (what the filter and `GET /api/scheduling/visit-types` use). */
export const visitTypeOf = (time: Proposal): string => time.serviceType?.[0]?.coding?.[0]?.code ?? '';

/** A proposal's identity in the list: the same time with another practitioner is another choice. */
export const keyOf = (time: Proposal): string =>
  `${time.start}|${practitionerOf(time) ?? ''}|${visitTypeOf(time)}`;

/** The calendar day of an instant in the browser's time, as a date input writes it. */
export function localDay(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/**
 * The times of the days `$find` answered whole: when it stopped at the count asked for, the
 * last day it reached may hold only its first times, and a short day reads as a full one.
 */
export function wholeDays(times: Proposal[], asked: number): Proposal[] {
  if (times.length < asked || times.length === 0) return times;
  const last = localDay(new Date(times.at(-1)!.start!));
  const before = times.filter((time) => localDay(new Date(time.start!)) !== last);
  return before.length > 0 ? before : times;
}

/** The option list of one day and visit type, with a time per practitioner or one per start. */
function addOption(visit: VisitTimes, time: Proposal, onePerTime: boolean): void {
  const same = onePerTime ? visit.options.find((option) => option.proposal.start === time.start) : undefined;
  if (same) same.alsoFree += 1;
  else visit.options.push({ key: keyOf(time), proposal: time, alsoFree: 0 });
}

/**
 * Free times grouped by day, then by visit type, in the order `$find` gives them (earliest
 * first). With any practitioner (`onePerTime`), a start offered by three GPs is one choice —
 * the first of them, as `$find` ordered them — so a day reads as times, not as a roster.
 */
export function freeDays(times: Proposal[], onePerTime: boolean): FreeDay[] {
  const days: FreeDay[] = [];
  for (const time of times) {
    const day = localDay(new Date(time.start!));
    let group = days.at(-1);
    if (group?.day !== day) days.push((group = { day, visits: [] }));
    const visitType = visitTypeOf(time);
    let visit = group.visits.find((each) => each.visitType === visitType);
    if (!visit) group.visits.push((visit = { visitType, options: [] }));
    addOption(visit, time, onePerTime);
  }
  return days;
}
