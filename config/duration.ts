/**
 * The ISO 8601 duration subset configs use for timers, consent validity and reopening:
 * `P<n>Y`, `P<n>M`, `P<n>W`, `P<n>D`, `PT<n>H`, `PT<n>M` and combinations such as `P1Y6M`.
 */

export interface DurationParts {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
}

/**
 * The language of `#/$defs/duration` in the schema (written there without lookahead, for RE2);
 * the lookaheads forbid `P` and `P1DT`.
 */
export const DURATION_PATTERN =
  /^P(?=\d|T\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?)?$/;

export const DURATION_HINT =
  'write P<n>Y, P<n>M, P<n>W, P<n>D, PT<n>H or PT<n>M, e.g. P14D, P6M or P1Y6M';

export const DURATION_HINT_NB =
  'Skriv P<n>Y (år), P<n>M (måneder), P<n>W (uker), P<n>D (dager), PT<n>H (timer) eller PT<n>M (minutter), for eksempel P14D, P6M eller P1Y6M.';

/** The parts of a duration, or `null` when the text is not in the subset. */
export function parseDuration(text: string): DurationParts | null {
  const m = DURATION_PATTERN.exec(text);
  if (!m) return null;
  const n = (i: number): number => (m[i] === undefined ? 0 : Number(m[i]));
  return { years: n(1), months: n(2), weeks: n(3), days: n(4), hours: n(5), minutes: n(6) };
}

export function isZeroDuration(d: DurationParts): boolean {
  return Object.values(d).every((v) => v === 0);
}

/** Working-day counting steps over whole days, so hours and minutes have no meaning there. */
export function hasTimeOfDay(d: DurationParts): boolean {
  return d.hours > 0 || d.minutes > 0;
}

const durationUnits: Array<[keyof DurationParts, string, string]> = [
  ['years', 'år', 'år'],
  ['months', 'måned', 'måneder'],
  ['weeks', 'uke', 'uker'],
  ['days', 'dag', 'dager'],
  ['hours', 'time', 'timer'],
  ['minutes', 'minutt', 'minutter'],
];

/**
 * A config duration in words: "P6M" → "6 måneder", "P1Y6M" → "1 år og 6 måneder"; working
 * days say so ("10 virkedager"). Text that is no duration comes back as it was. For the pages
 * people read: "innen 6 måneder", never "innen P6M".
 *
 * @example
 * durationWords('P1Y6M') // '1 år og 6 måneder'
 * durationWords('P10D', 'working') // '10 virkedager'
 */
export function durationWords(text: string, days: 'calendar' | 'working' = 'calendar'): string {
  const d = parseDuration(text);
  if (!d) return text;
  const parts = durationUnits
    .filter(([k]) => d[k] > 0)
    .map(([k, one, many]) => {
      const word =
        k === 'days' && days === 'working'
          ? d[k] === 1
            ? 'virkedag'
            : 'virkedager'
          : d[k] === 1
            ? one
            : many;
      return `${d[k]} ${word}`;
    });
  if (parts.length === 0) return 'straks';
  return parts.length === 1
    ? parts[0]
    : `${parts.slice(0, -1).join(', ')} og ${parts[parts.length - 1]}`;
}
