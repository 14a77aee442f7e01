// Times as the clinic's clock tells them ("Today 14:05", "3 Dec 09:12"): the run log is read at
// the desk, and an instant in UTC or in the reader's own zone is one more thing to convert.

interface Parts {
  day: string;
  month: string;
  year: string;
  hour: string;
  minute: string;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone (building one is slow; a page formats hundreds of times). */
function formatIn(zone: string | undefined): Intl.DateTimeFormat {
  const key = zone ?? '';
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      ...(zone ? { timeZone: zone } : {}),
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(key, format);
  }
  return format;
}

function partsOf(date: Date, zone: string | undefined): Parts {
  const parts = Object.fromEntries(
    formatIn(zone)
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return parts as unknown as Parts;
}

const dayOf = (p: Parts) => `${p.year}-${p.month}-${p.day}`;
const DAY_MS = 86_400_000;

/**
 * "Today 14:05", "Yesterday 09:12", "Tomorrow 08:00", "3 Dec 09:12", "3 Dec 2025 09:12": the
 * instant in the clinic's zone (the reader's own when the server named none), the day said
 * relative to now where that is shorter.
 */
export function clinicTime(value: string | undefined, at: { zone?: string; now?: Date } = {}): string {
  if (!value) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const now = at.now ?? new Date();
  const when = partsOf(date, at.zone);
  const time = `${when.hour}:${when.minute}`;
  const relative: Record<string, string> = {
    [dayOf(partsOf(now, at.zone))]: 'Today',
    [dayOf(partsOf(new Date(now.getTime() - DAY_MS), at.zone))]: 'Yesterday',
    [dayOf(partsOf(new Date(now.getTime() + DAY_MS), at.zone))]: 'Tomorrow',
  };
  const named = relative[dayOf(when)];
  if (named) return `${named} ${time}`;
  const sameYear = when.year === partsOf(now, at.zone).year;
  return `${when.day} ${when.month}${sameYear ? '' : ` ${when.year}`} ${time}`;
}

/** The exact instant for the technical detail: "2026-12-06T20:22:23.860Z" and the zone the page used. */
export function exactTime(value: string | undefined, zone: string | undefined): string {
  return value ? `${value}${zone ? ` (clinic time zone ${zone})` : ''}` : '—';
}
