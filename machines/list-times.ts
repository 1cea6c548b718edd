/**
 * The times a case publishes for lists (search attributes), at the precision lists need. The
 * lists flag a case standing still after 14 days and sort by due date; to the minute, each
 * command would write both times again, and each write is a visibility update in Temporal
 * (about half the server's cost of a command, issue #12). To the hour, a coordinator's commands
 * in one sitting write them once. The case page reads the exact times from the case itself.
 *
 * @module
 */

const HOUR_MS = 60 * 60 * 1000;

/**
 * Last activity as lists show it: the start of its hour (never later than it was).
 *
 * @example
 * listedActivity('2026-12-04T09:41:07.123Z') // 2026-12-04T09:00:00.000Z
 */
export function listedActivity(at: string): Date {
  const ms = Date.parse(at);
  return new Date(ms - (((ms % HOUR_MS) + HOUR_MS) % HOUR_MS));
}

/**
 * Next due time as lists show it: the end of its hour (never earlier than it is), so a list
 * never calls a case past due before it is; the case itself marks it overdue on time.
 *
 * @example
 * listedDue('2026-12-04T09:41:07.123Z') // 2026-12-04T10:00:00.000Z
 */
export function listedDue(at: string): Date {
  const start = listedActivity(at).getTime();
  return new Date(start === Date.parse(at) ? start : start + HOUR_MS);
}
