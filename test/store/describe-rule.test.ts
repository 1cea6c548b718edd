/**
 * The rules of a config in the words a process owner reads before publishing (#16): the seeds'
 * conditions with field titles and no rule code, and every operator a config may use either in
 * words or, where it has none, as its own text.
 */
import type { KommuneConfig, Rule } from '../../config';
import { describeRule } from '../../store/describe-rule';
import { loadSeed } from '../machines/support';

/** Every `when` and computed value of a config, with its JSON path. */
function rulesOf(config: KommuneConfig): Array<[string, Rule]> {
  const found: Array<[string, Rule]> = [];
  const walk = (x: unknown, path: string) => {
    if (Array.isArray(x)) x.forEach((v, i) => walk(v, `${path}/${i}`));
    else if (x && typeof x === 'object')
      for (const [k, v] of Object.entries(x)) {
        if (k === 'when' && typeof v === 'object') found.push([`${path}/when`, v as Rule]);
        else walk(v, `${path}/${k}`);
      }
  };
  walk(config.steps, '/steps');
  for (const [id, rule] of Object.entries(config.computed ?? {}))
    found.push([`/computed/${id}`, rule]);
  return found;
}

test.each(['lorenskog', 'nav-holf', 'oygarden'])(
  "when the %s seed's conditions are shown, then each reads as words with no rule code in it",
  (kommune) => {
    const config = loadSeed(kommune);
    const rules = rulesOf(config);
    expect(rules.length).toBeGreaterThan(0);
    for (const [path, rule] of rules) {
      const words = describeRule(rule, config);
      expect([path, words]).toEqual([path, expect.not.stringMatching(/[{}"]|\bvar\b/)]);
    }
  },
);

test('when a gate asks for one of several values, a threshold, or both of two answers, then it names the fields by their titles', () => {
  const lorenskog = loadSeed('lorenskog');
  expect(
    describeRule(
      { in: [{ var: 'payload.vedtak' }, ['barnekoordinator', 'koordinator']] },
      lorenskog,
    ),
  ).toBe('«Vedtak» er en av «barnekoordinator» og «koordinator»');
  const oygarden = loadSeed('oygarden');
  expect(describeRule({ '>=': [{ var: 'computed.risikoskaar' }, 4] }, oygarden)).toBe(
    '«risikoskaar» (beregnet) er minst 4',
  );
  expect(
    describeRule(
      {
        or: [
          { '==': [{ var: 'payload.gittAv' }, 'parent'] },
          { and: [{ '>=': [{ var: 'data.barnetsAlder' }, 15] }, { '!': { var: 'payload.x' } }] },
        ],
      },
      oygarden,
    ),
  ).toMatch(/^«[^»]+» er «parent» eller \(«[^»]+» er minst 15 og «x» er ikke fylt ut\)$/);
});

test('when a rule reads case facts, consents, lists and choices, then each has its words', () => {
  expect(describeRule({ '==': [{ var: 'case.level' }, 2] })).toBe('nivået er 2');
  expect(describeRule({ '!!': { var: 'consents.deling' } })).toBe('samtykket «deling» er fylt ut');
  expect(describeRule({ '<': [1, { var: 'payload.n' }, 5] })).toBe('«n» er mellom 1 og 5');
  expect(describeRule({ some: [{ var: 'payload.barn' }, { '<': [{ var: 'alder' }, 6] }] })).toBe(
    'minst én i «barn» der «alder» er mindre enn 6',
  );
  expect(describeRule({ if: [{ var: 'payload.a' }, 1, 0] })).toBe('hvis «a», så 1, ellers 0');
  expect(describeRule({ missing: ['payload.a', 'payload.b'] })).toBe('«a» og «b» mangler');
  // No words of its own: the rule's text, so nothing is hidden.
  const merged = { merge: [[1], [2]] };
  expect(describeRule(merged)).toBe(JSON.stringify(merged));
});
