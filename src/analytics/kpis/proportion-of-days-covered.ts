import { dayMs } from './kpi-model.ts';

/** One dispense of a target drug: the day it was handed over and how many days it supplies. */
export interface Fill {
  /** YYYY-MM-DD (`MedicationDispense.whenHandedOver`). */
  date: string;
  /** `MedicationDispense.daysSupply` in days. */
  daysSupply: number;
}

/** A measurement period, first and last day included (YYYY-MM-DD). */
export interface MeasurementPeriod {
  start: string;
  end: string;
}

export interface DaysCovered {
  /** In the denominator: ≥ 2 fills on different days in the period, the first ≥ 91 days before its end. */
  eligible: boolean;
  /** The index prescription start date: the first fill in the period. */
  index?: string;
  /** Days from the index date to the period's end, both included. */
  treatmentDays: number;
  /** Days of the treatment period with drug on hand. */
  coveredDays: number;
  /** coveredDays / treatmentDays (0 when not eligible). */
  pdc: number;
  /** In the numerator: PDC ≥ 80%. */
  adherent: boolean;
}

/** The PQA threshold: a patient is adherent to a drug with at least 80% of days covered. */
export const adherentPdc = 0.8;
/** PQA: the index date must be at least 91 days before the measurement period ends. */
const minimumTreatmentDays = 91;

/** Days since 1970-01-01 of a YYYY-MM-DD day (NaN when it is not one). */
export const dayNumber = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / dayMs);

/**
 * A patient's fills of one drug as day numbers, ascending, each day once with its longest
 * supply (whole days): made once per pair, then measured over each period by `coverageOf`.
 */
export interface FillDays {
  days: number[];
  supplies: number[];
}

/** The fills with a day and a supply, one per day (the longest), in day order. */
export function fillDaysOf(fills: Fill[]): FillDays {
  const byDay = new Map<number, number>();
  for (const fill of fills) {
    const day = dayNumber(fill.date);
    if (Number.isNaN(day) || !(fill.daysSupply > 0)) continue;
    byDay.set(day, Math.max(byDay.get(day) ?? 0, Math.floor(fill.daysSupply)));
  }
  const days = [...byDay.keys()].sort((a, b) => a - b);
  return { days, supplies: days.map((day) => byDay.get(day)!) };
}

const notEligible = { eligible: false, treatmentDays: 0, coveredDays: 0, pdc: 0, adherent: false };

/**
 * The proportion of days covered for one patient and one target drug (the Pharmacy Quality
 * Alliance method): fills in the period only (supply carried in from before it does not count);
 * fills of the same drug on the same day count once, with the longest supply; a fill bought
 * while the last one still lasts starts the day after it runs out (the supply is shifted, not
 * lost); days beyond the period's end do not count.
 */
export function proportionOfDaysCovered(fills: Fill[], period: MeasurementPeriod): DaysCovered {
  return coverageOf(fillDaysOf(fills), { first: dayNumber(period.start), last: dayNumber(period.end) });
}

/** `proportionOfDaysCovered` of fills already as day numbers, over the period's first to last day number. */
export function coverageOf(fills: FillDays, period: { first: number; last: number }): DaysCovered {
  const { first, last } = period;
  let from = 0;
  while (from < fills.days.length && fills.days[from]! < first) from++;
  let to = from;
  while (to < fills.days.length && fills.days[to]! <= last) to++;
  const index = fills.days[from];
  if (index === undefined || to - from < 2 || last - index < minimumTreatmentDays) return { ...notEligible };
  let nextFree = index;
  let coveredDays = 0;
  for (let at = from; at < to; at++) {
    const start = Math.max(fills.days[at]!, nextFree);
    const end = Math.min(start + fills.supplies[at]! - 1, last);
    if (end >= start) coveredDays += end - start + 1;
    nextFree = start + fills.supplies[at]!;
  }
  const treatmentDays = last - index + 1;
  const pdc = coveredDays / treatmentDays;
  const indexDate = new Date(index * dayMs).toISOString().slice(0, 10);
  return { eligible: true, index: indexDate, treatmentDays, coveredDays, pdc, adherent: pdc >= adherentPdc };
}
