import type { Communication } from '@medplum/fhirtypes';
import { EXCLUSIVE_IDENTIFIER_SYSTEM } from '../../store/index.ts';

/**
 * A capped SMS's seat of the patient's local day, `sms-cap/Patient/{person}/{day}/{n}`, carried
 * by its attempt as an exclusive identifier: the store lets one live attempt hold a seat (a
 * database constraint, on every node). The cap is decided by reading the SMS already sent or
 * opened; two deliveries deciding at the same time read the same ones, so they take the same
 * free seat, and the database lets exactly one open its attempt — the other decides again and
 * now sees it. Seats only serialize the decisions; the cap itself is still counted from the
 * attempts (`nextWithinCap`), so the per-week cap holds as the per-day one does.
 */
export function seatPrefix(personId: string, localDay: string): string {
  return `sms-cap/Patient/${personId}/${localDay}/`;
}

/** The seat an attempt holds, if any. */
export function seatOf(attempt: Communication): string | undefined {
  return attempt.identifier?.find((each) => each.system === EXCLUSIVE_IDENTIFIER_SYSTEM)?.value;
}

/** The lowest seat of the day the attempts do not hold (a failed attempt gives its seat back). */
export function freeSeat(attempts: Communication[], prefix: string): string {
  const held = new Set(attempts.map(seatOf).filter((seat) => seat?.startsWith(prefix)));
  let seat = 0;
  while (held.has(`${prefix}${seat}`)) seat++;
  return `${prefix}${seat}`;
}

/** The identifier that claims a seat. */
export function seatIdentifier(seat: string): { system: string; value: string } {
  return { system: EXCLUSIVE_IDENTIFIER_SYSTEM, value: seat };
}

/** The attempt without its seat: it failed for good, so it is not counted and frees the seat. */
export function withoutSeat<T extends Communication>(attempt: T): T {
  const identifier = attempt.identifier?.filter((each) => each.system !== EXCLUSIVE_IDENTIFIER_SYSTEM);
  return { ...attempt, identifier };
}
