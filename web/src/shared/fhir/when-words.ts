const DAY = 86_400_000;

const clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });
const weekday = new Intl.DateTimeFormat('en-GB', { weekday: 'long' });
const dayMonth = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short' });
const dayMonthYear = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

/** Midnight that starts the local day of `date`: "yesterday" is a calendar day here, not 24 hours. */
const startOfDay = (date: Date) => new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();

/**
 * When something happened, in the words a person at the desk uses, in the browser's local time:
 * "just now", "12 minutes ago", "today at 09:14", "yesterday at 16:02", "Tuesday at 10:30" within
 * the week, else "3 Dec at 10:30" (with the year when it is not this one). A time in the future
 * (a clock a little ahead) reads as the moment itself, never "in 2 minutes".
 */
export function whenWords(value: string | undefined, now = new Date()): string {
  if (!value) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const ago = now.getTime() - date.getTime();
  if (ago < 60_000) return 'just now';
  if (ago < 60 * 60_000) return `${Math.floor(ago / 60_000)} min ago`;
  const days = Math.round((startOfDay(now) - startOfDay(date)) / DAY);
  const at = `at ${clock.format(date)}`;
  if (days <= 0) return `today ${at}`;
  if (days === 1) return `yesterday ${at}`;
  if (days < 7) return `${weekday.format(date)} ${at}`;
  const sameYear = date.getFullYear() === now.getFullYear();
  return `${(sameYear ? dayMonth : dayMonthYear).format(date)} ${at}`;
}
