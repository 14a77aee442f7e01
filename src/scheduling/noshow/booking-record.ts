/**
 * One appointment as the no-show model sees it: what was known when it was booked, and (for
 * training and evaluation) whether the patient came. The same shape comes from the clinic's
 * own FHIR Appointments and from CSV files in the layout of the public no-show data set.
 */
export interface BookingRecord {
  appointmentId: string;
  /** The person (all their linked records as one id): history is counted per person. */
  personId: string;
  sex: string;
  age: number;
  /** When it was booked (epoch ms). */
  bookedAt: number;
  /** When it is (epoch ms; the day's start when only the day is known). */
  startsAt: number;
  neighbourhood?: string;
  /** Conditions and circumstances known at booking (0/1 each), by name. */
  flags: Record<string, number>;
  /** Whether the patient did not come; undefined while unknown. */
  noShow?: boolean;
}

/** A booking with the person's history as known when it was booked. */
export interface BookingWithHistory extends BookingRecord {
  priorNoShows: number;
  priorVisits: number;
  /** The person's other bookings made earlier and not yet due at this booking. */
  pendingBookings: number;
  /** The person's other appointments on the same day, booked no later than this one. */
  sameDayBookings: number;
  /** The person's bookings made before this one, whatever became of them. */
  earlierBookings: number;
  /** Days from the person's latest appointment with a known outcome to this booking (none: -1). */
  daysSinceLast: number;
  /** That latest appointment's outcome: 1 not attended, 0 attended, -1 none yet. */
  lastWasNoShow: number;
}

const DAY = 86_400_000;

/**
 * Adds each booking's history: the person's earlier appointments whose day had passed when it
 * was booked (so their outcome was known), and those booked but still to come. Nothing after
 * the booking moment is used — the evaluation must not see the future.
 */
export function withHistory(records: BookingRecord[]): BookingWithHistory[] {
  const byPerson = new Map<string, BookingRecord[]>();
  for (const record of records) {
    const list = byPerson.get(record.personId) ?? [];
    list.push(record);
    byPerson.set(record.personId, list);
  }
  return records.map((record) => ({ ...record, ...historyOf(record, byPerson.get(record.personId) ?? []) }));
}

type History = Omit<BookingWithHistory, keyof BookingRecord>;

function historyOf(record: BookingRecord, others: BookingRecord[]): History {
  const history: History = {
    priorNoShows: 0,
    priorVisits: 0,
    pendingBookings: 0,
    sameDayBookings: 0,
    earlierBookings: 0,
    daysSinceLast: -1,
    lastWasNoShow: -1,
  };
  let last = -Infinity;
  for (const other of others) {
    if (other === record) continue;
    if (other.bookedAt < record.bookedAt) history.earlierBookings++;
    if (sameDay(other.startsAt, record.startsAt) && other.bookedAt <= record.bookedAt)
      history.sameDayBookings++;
    // The outcome is known once the appointment's day is over (the data set gives days only).
    const outcomeKnown = other.startsAt + DAY <= record.bookedAt;
    if (outcomeKnown && other.noShow !== undefined) {
      if (other.noShow) history.priorNoShows++;
      else history.priorVisits++;
      if (other.startsAt > last) {
        last = other.startsAt;
        history.daysSinceLast = (record.bookedAt - other.startsAt) / DAY;
        history.lastWasNoShow = other.noShow ? 1 : 0;
      }
    } else if (other.bookedAt < record.bookedAt && other.startsAt >= record.bookedAt)
      history.pendingBookings++;
  }
  return history;
}

const sameDay = (a: number, b: number) => Math.floor(a / DAY) === Math.floor(b / DAY);
