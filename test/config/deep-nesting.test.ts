/**
 * Configs nested absurdly deep (20,000 levels) are refused with the place they get too deep —
 * as text (files, pasted drafts) and as parsed objects (HTTP bodies) — never a stack overflow.
 */
import {
  MAX_JSON_DEPTH,
  parseJsonText,
  tooDeepAt,
  validateConfig,
  validateConfigText,
} from '../../config';
import { validateDraft } from '../../store';
import { minimalConfig } from './helpers/fixtures';

const DEPTH = 20_000;

/** The minimal config with a gate rule nested `depth` levels deep, as text. */
function deepRuleText(depth: number): string {
  const text = JSON.stringify(minimalConfig(), null, 2);
  const rule = `${'{"and": ['.repeat(depth)}true${']}'.repeat(depth)}`;
  return text.replace('"when": {\n', `"when": ${rule}, "x": {\n`);
}

describe('configs nested too deep', () => {
  it('when a config text is nested 20,000 levels deep, then validation names the path and line where it gets too deep', () => {
    const result = validateConfigText(deepRuleText(DEPTH));
    expect(result).toMatchObject({
      ok: false,
      errors: [
        {
          path: expect.stringMatching(/^\/steps\/worry\/on\/ASSESS\/0\/when(\/and|\/0)+$/),
          message: expect.stringMatching(
            /^too deep at line \d+, column \d+: nested more than 256 levels deep$/,
          ),
          line: expect.any(Number),
        },
      ],
    });
  });

  it('when a draft is nested 20,000 levels deep, then the draft check refuses it the same way', () => {
    const result = validateDraft('minimal', deepRuleText(DEPTH));
    expect(result).toMatchObject({
      ok: false,
      errors: [{ path: expect.stringMatching(/^\/steps\/worry\/on\/ASSESS\/0\/when\/and\/0/) }],
    });
  });

  it('when a parsed config object is nested 20,000 levels deep, then validateConfig names the path instead of overflowing the stack', () => {
    const value = JSON.parse(deepRuleText(DEPTH)) as unknown;
    const result = validateConfig(value);
    expect(result).toMatchObject({
      ok: false,
      errors: [
        {
          path: expect.stringMatching(/^\/steps\/worry\/on\/ASSESS\/0\/when(\/and|\/0)+$/),
          message: 'nested more than 256 levels deep',
        },
      ],
    });
  });

  it('when a parsed value and its text are nested equally deep, then both are refused from the same depth on', () => {
    const nested = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`;
    for (const n of [MAX_JSON_DEPTH, MAX_JSON_DEPTH + 1, MAX_JSON_DEPTH + 2]) {
      expect([n, tooDeepAt(JSON.parse(nested(n))) === undefined]).toEqual([
        n,
        parseJsonText(nested(n)).ok,
      ]);
    }
    expect(tooDeepAt(JSON.parse(nested(MAX_JSON_DEPTH + 2)))).toBe('/0'.repeat(MAX_JSON_DEPTH));
  });
});
