/**
 * How deep a parsed JSON value is nested, measured without recursion: a value built by
 * `JSON.parse` (an HTTP body) may be nested far deeper than the stack allows to walk or to
 * `JSON.stringify`.
 */
import type { ConfigError } from './config-error';
import { MAX_JSON_DEPTH } from './parse-json-text';
import { childPointer } from './json-pointer';

/**
 * The JSON pointer of the first object or array that would be nested more than `max` levels
 * deep (the root counts as one, as `parseJsonText` counts them), or `undefined` when there is none.
 *
 * @example
 * tooDeepAt({ a: [[1]] }, 2) // '/a/0'
 */
export function tooDeepAt(value: unknown, max: number = MAX_JSON_DEPTH): string | undefined {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [
    { value, path: '', depth: 0 },
  ];
  while (stack.length > 0) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= max) return path;
    const entries: Array<[string | number, unknown]> = Array.isArray(v)
      ? v.map((item, i) => [i, item])
      : Object.entries(v);
    for (const [key, child] of entries)
      stack.push({ value: child, path: childPointer(path, key), depth: depth + 1 });
  }
  return undefined;
}

/** The config error for a value nested too deep, at its JSON pointer. */
export function tooDeepError(path: string, max: number = MAX_JSON_DEPTH): ConfigError {
  return {
    path,
    message: `nested more than ${max} levels deep`,
    hint: 'a config needs a few levels; this is no config',
    code: 'JSON_TOO_DEEP',
    nb: `Nøstet mer enn ${max} nivåer dypt. En konfigurasjon trenger noen få nivåer; dette er ingen konfigurasjon.`,
  };
}
