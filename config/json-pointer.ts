/**
 * JSON pointers (RFC 6901): how every config error, payload error, request error and config change
 * says where it is. The one place that escapes and unescapes a segment; pure, so the workflow
 * sandbox and the browser bundle use it too.
 */

/** Escape one segment: `~` → `~0`, `/` → `~1`. */
export function escapePointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Undo `escapePointerSegment`: `a~1b` → `a/b` (`~1` first, so `~01` stays `~1`). */
export function unescapePointerSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** `pointer('steps', 'a/b', 0)` → `/steps/a~1b/0`. */
export function pointer(...segments: Array<string | number>): string {
  return segments.map((s) => `/${escapePointerSegment(s)}`).join('');
}

/** Append segments to an existing pointer. */
export function childPointer(base: string, ...segments: Array<string | number>): string {
  return base + pointer(...segments);
}

/** The pointer one level up; `""` stays `""`. */
export function parentPointer(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '' : path.slice(0, cut);
}
