/**
 * Dates and durations as Norwegian staff read them: Oslo wall-clock time, bokmål words.
 */
import { durationWords, parseDuration } from '../../../config/duration';

const dateTime = new Intl.DateTimeFormat('nb-NO', {
  timeZone: 'Europe/Oslo',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const dateOnly = new Intl.DateTimeFormat('nb-NO', {
  timeZone: 'Europe/Oslo',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});

export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}

export function formatDate(iso: string): string {
  return dateOnly.format(new Date(iso));
}

const units: Array<[number, string, string]> = [
  [86400000, 'dag', 'dager'],
  [3600000, 'time', 'timer'],
  [60000, 'minutt', 'minutter'],
];

/** "3 dager", "1 time", "under ett minutt": the largest whole unit. */
export function humanDuration(ms: number): string {
  const abs = Math.abs(ms);
  for (const [size, one, many] of units) {
    if (abs >= size) {
      const n = Math.floor(abs / size);
      return `${n} ${n === 1 ? one : many}`;
    }
  }
  return 'under ett minutt';
}

/** "om 3 dager" or "2 timer på overtid". */
export function timeLeft(dueIso: string, now = Date.now()): { text: string; overdue: boolean } {
  const ms = Date.parse(dueIso) - now;
  return ms >= 0
    ? { text: `om ${humanDuration(ms)}`, overdue: false }
    : { text: `${humanDuration(ms)} på overtid`, overdue: true };
}

/** "for 3 dager siden". */
export function ago(iso: string, now = Date.now()): string {
  const ms = now - Date.parse(iso);
  return ms < 60000 ? 'akkurat nå' : `for ${humanDuration(ms)} siden`;
}

const dayDate = new Intl.DateTimeFormat('nb-NO', {
  timeZone: 'Europe/Oslo',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
});
const dayDateYear = new Intl.DateTimeFormat('nb-NO', {
  timeZone: 'Europe/Oslo',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const yearOf = new Intl.DateTimeFormat('nb-NO', { timeZone: 'Europe/Oslo', year: 'numeric' });

/** "fredag 11. desember", with the year only when it is not this year: how a date is said. */
export function formatDayDate(iso: string, now = Date.now()): string {
  const d = new Date(iso);
  return yearOf.format(d) === yearOf.format(new Date(now))
    ? dayDate.format(d)
    : dayDateYear.format(d);
}

export { durationWords };

/** True for the config's duration subset, e.g. an enum value `P1M` that a form should say in words. */
export function isDuration(text: unknown): text is string {
  return typeof text === 'string' && parseDuration(text) !== null;
}
