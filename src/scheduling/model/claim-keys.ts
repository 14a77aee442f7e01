import { EXCLUSIVE_IDENTIFIER_SYSTEM } from '../../store/index.ts';
import { MINUTE, type Interval } from './intervals.ts';

/**
 * Booked time is claimed in blocks: a busy Slot carries one exclusive identifier per 5-minute
 * block it covers (its buffer included), `Schedule/{id}@{block start}#{seat}`. The store keeps
 * exclusive identifiers unique among live Slots (a database constraint), so of two
 * bookings racing for overlapping time the database lets exactly one commit — whatever the
 * number of processes. Seat 0 is the time itself; seats 1…n exist only where a Schedule
 * allows overbooking.
 */
export const CLAIM_SYSTEM = EXCLUSIVE_IDENTIFIER_SYSTEM;
export const CLAIM_BLOCK_MINUTES = 5;

const block = CLAIM_BLOCK_MINUTES * MINUTE;

/** The claim identifiers' values for a schedule's time (and seat). */
export function claimKeys(schedule: string, time: Interval, seat = 0): string[] {
  const keys: string[] = [];
  for (let at = Math.floor(time.start / block) * block; at < time.end; at += block)
    keys.push(`${schedule}@${new Date(at).toISOString()}#${seat}`);
  return keys;
}

/** Rounds a start up to the claim grid, so proposals start on block boundaries. */
export function alignUp(at: number): number {
  return Math.ceil(at / block) * block;
}
