/**
 * The regular-expression engine for every pattern Sluse evaluates from a config (payload forms'
 * and fields' `pattern` / `patternProperties`, and the config schema's own patterns): RE2, via
 * `re2js` (a pure-JavaScript port, so it also runs inside the Temporal workflow sandbox).
 * RE2 matches in time linear in the input, so no pattern a process owner writes — `^(a+)+$`
 * included — can backtrack for seconds on the HTTP event loop or in a workflow. The price:
 * backreferences and lookaround do not exist in RE2; such a pattern is a config error. A few
 * corners differ from JavaScript's RegExp too (`\s` is ASCII whitespace, `.` matches `\r`).
 *
 * @module
 */
import { RE2JS } from 're2js';
import type { RegExpEngine } from 'ajv/dist/types';

/** What ajv needs of a compiled pattern: an unanchored `test`, and a key to share it by. */
interface LinearRegExp {
  test(input: string): boolean;
  toString(): string;
}

/**
 * Compiles a JSON Schema (ECMA-262) pattern for RE2; throws when RE2 cannot express it.
 *
 * @example
 * linearRegExp('^(a+)+$').test('a'.repeat(40) + '!') // false, in microseconds
 */
export function linearRegExp(pattern: string): LinearRegExp {
  // translateRegExp rewrites the JavaScript spellings RE2 lacks (`\u00e6`, `(?<name>…)`).
  const compiled = RE2JS.compile(RE2JS.translateRegExp(pattern));
  return { test: (input) => compiled.test(input), toString: () => `re2:${pattern}` };
}

/**
 * ajv's `code.regExp` option. Patterns are always Unicode-aware in RE2, so ajv's `u` flag needs
 * no translation. `code` only names the engine (it would matter for standalone code, unused here).
 */
export const linearRegExpEngine: RegExpEngine = Object.assign(
  (pattern: string, _unicodeFlag: string) => linearRegExp(pattern),
  { code: 'linearRegExp' },
);

/** Why RE2 refuses `pattern`, or `undefined` when it compiles. */
export function linearRegExpError(pattern: string): string | undefined {
  try {
    linearRegExp(pattern);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
