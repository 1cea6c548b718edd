/** JSON pointers (RFC 6901): how every config error says where it is. */

/** Escape one segment: `~` → `~0`, `/` → `~1`. */
export function escapePointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
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
