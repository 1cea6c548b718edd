import fc from 'fast-check';
import schema from '../../config/schema/kommune-config.schema.json';
import {
  BtiLevels,
  DayCounts,
  FinalOutcomes,
  RoleSeesValues,
  TimerAnchors,
  parseDuration,
  validateConfig,
} from '../../config';
import { applyPatch } from './helpers/apply-patch';
import { minimalConfig } from './helpers/fixtures';

describe('validateConfig', () => {
  it('when the minimal config is checked, then it passes and comes back typed', () => {
    const result = validateConfig(minimalConfig());
    expect(result).toEqual({ ok: true, config: minimalConfig() });
  });

  it('when a property is misspelt, then the error names it and suggests the right one, in English and bokmål', () => {
    const result = validateConfig(
      applyPatch(minimalConfig(), [
        { op: 'remove', path: '/steps/worry/holderRole' },
        { op: 'add', path: '/steps/worry/holderRol', value: 'teacher' },
      ]),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toContainEqual({
      path: '/steps/worry/holderRol',
      message: 'unknown property "holderRol"',
      hint: expect.stringContaining('did you mean "holderRole"?'),
      code: 'SCHEMA_ADDITIONAL_PROPERTIES',
      nb: expect.stringMatching(
        /^Ukjent egenskap «holderRol»\. Mente du «holderRole»\? Tillatt her: /,
      ),
    });
    // ajv-i18n's bokmål for the keyword that failed.
    expect(result.errors).toContainEqual(
      expect.objectContaining({
        path: '/steps/worry/holderRole',
        code: 'SCHEMA_REQUIRED',
        nb: 'Må ha den påkrevde egenskapen holderRole.',
      }),
    );
  });

  it('when levels names a level BTI does not have, or one without a title, then each error points at it in bokmål', () => {
    const result = validateConfig({
      ...minimalConfig(),
      levels: { '1': { title: 'Avklaring' }, '4': { title: 'Nivå fire' }, '2': {} },
    });
    expect(!result.ok && result.errors.map((e) => [e.path, e.code, e.nb])).toEqual([
      [
        '/levels/4',
        'SCHEMA_ADDITIONAL_PROPERTIES',
        expect.stringMatching(/^Ukjent egenskap «4»\..* Tillatt her: 0, 1, 2, 3\.$/),
      ],
      ['/levels/2/title', 'SCHEMA_REQUIRED', 'Må ha den påkrevde egenskapen title.'],
    ]);
    expect(validateConfig({ ...minimalConfig(), levels: { '0': { title: 'Undring' } } }).ok).toBe(
      true,
    );
  });

  it('when a step id is misspelt in a target, then the hint suggests the declared step, in English and bokmål', () => {
    const result = validateConfig(
      applyPatch(minimalConfig(), [
        { op: 'replace', path: '/steps/worry/on/ASSESS/0/target', value: 'tlak' },
      ]),
    );
    expect(!result.ok && result.errors).toContainEqual({
      path: '/steps/worry/on/ASSESS/0/target',
      message: 'unknown step "tlak"',
      hint: 'did you mean "talk"?',
      code: 'UNKNOWN_STEP',
      nb: 'Det finnes ikke noe steg «tlak». Mente du «talk»?',
    });
  });

  it('when a value is refused by the schema and a reference is wrong elsewhere, then both come in one answer, with what follows from the wrong reference', () => {
    const result = validateConfig(
      applyPatch(minimalConfig(), [
        { op: 'replace', path: '/steps/talk/level', value: 7 },
        { op: 'replace', path: '/intake/step', value: 'nowhere' },
      ]),
    );
    expect(!result.ok && result.errors.map((e) => [e.path, e.code])).toEqual([
      ['/steps/talk/level', 'SCHEMA_ENUM'],
      ['/intake/step', 'UNKNOWN_STEP'],
      ['/steps/worry', 'STEP_UNREACHABLE'],
    ]);
  });

  it('when a transition is refused by the schema, then its step is not also said to have no way out', () => {
    const result = validateConfig(
      applyPatch(minimalConfig(), [
        { op: 'replace', path: '/steps/worry/on/ASSESS/0/target', value: 'bad step' },
        { op: 'replace', path: '/intake/step', value: 'nowhere' },
      ]),
    );
    const paths = !result.ok && result.errors.map((e) => e.path);
    expect(paths).toEqual(['/steps/worry/on/ASSESS/0/target', '/intake/step']);
    expect(paths).not.toContain('/steps/worry');
  });

  it('when a part has the wrong type, then only shape errors are reported: the checks would read it as something else', () => {
    const result = validateConfig(
      applyPatch(minimalConfig(), [
        { op: 'replace', path: '/steps/talk/on', value: 'ASSESS' },
        { op: 'replace', path: '/intake/step', value: 'nowhere' },
      ]),
    );
    expect(!result.ok && result.errors.map((e) => e.path)).toEqual(['/steps/talk/on']);
  });

  it('when several semantic problems exist, then all of them are reported at once', () => {
    const result = validateConfig(
      applyPatch(minimalConfig(), [
        { op: 'replace', path: '/intake/roles/0', value: 'nurse' },
        { op: 'replace', path: '/steps/talk/timers/1/after', value: 'P0D' },
        { op: 'replace', path: '/steps/closed/onEnter/0/template', value: 'nope' },
      ]),
    );
    expect(!result.ok && result.errors.map((e) => e.path)).toEqual(
      expect.arrayContaining([
        '/intake/roles/0',
        '/steps/talk/timers/1/after',
        '/steps/closed/onEnter/0/template',
      ]),
    );
  });

  it('when a rule iterates over a list, then vars inside the per-item rule are not taken for case paths', () => {
    const result = validateConfig(
      applyPatch(minimalConfig(), [
        {
          op: 'replace',
          path: '/steps/worry/on/ASSESS/0/when',
          value: { some: [{ var: 'payload.score' }, { '>=': [{ var: 'weight' }, 2] }] },
        },
      ]),
    );
    expect(result.ok).toBe(true);
  });

  it('when "missing" names an undeclared field, then it is reported like a var', () => {
    const result = validateConfig(
      applyPatch(minimalConfig(), [
        {
          op: 'replace',
          path: '/steps/talk/on/REFER/when',
          value: { '!': { missing: ['data.riskScore', 'data.nope'] } },
        },
      ]),
    );
    expect(!result.ok && result.errors.map((e) => e.path)).toEqual([
      '/steps/talk/on/REFER/when/!/missing/1',
    ]);
  });

  it('when an intake payload property is read as data, then it counts as a case field', () => {
    const result = validateConfig(
      applyPatch(minimalConfig(), [
        {
          op: 'replace',
          path: '/steps/talk/on/REFER/when',
          // childAge is optional at intake, so the comparison needs a default (see check-rules).
          value: { '<': [{ var: ['data.childAge', 0] }, 18] },
        },
      ]),
    );
    expect(result.ok).toBe(true);
  });

  it('when a rule uses a dotted method call, then it is refused as unsafe', () => {
    const result = validateConfig(
      applyPatch(minimalConfig(), [
        { op: 'replace', path: '/steps/talk/on/REFER/when', value: { 'Math.random': [] } },
      ]),
    );
    expect(!result.ok && result.errors[0]).toMatchObject({
      path: '/steps/talk/on/REFER/when/Math.random',
      message: expect.stringContaining('unsafe'),
    });
  });

  it('when any JSON value is validated, then it never throws and every error has a path and a message', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = validateConfig(value);
        expect(result.ok).toBe(false);
        if (!result.ok) {
          for (const e of result.errors) {
            expect(typeof e.path).toBe('string');
            expect(e.message.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('when any part of a valid config is replaced by any JSON value, then validation never throws and every error has a path and a message', () => {
    // A random value at the root never gets past the root's shape; these keep the shape and
    // put the random values where the deeper checks (references, rules, payloads) read them.
    const paths: string[] = [];
    const walk = (value: unknown, path: string): void => {
      if (path) paths.push(path);
      if (typeof value === 'object' && value !== null) {
        for (const [key, child] of Object.entries(value))
          walk(child, `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      }
    };
    walk(minimalConfig(), '');
    let deep = 0;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ path: fc.constantFrom(...paths), value: fc.jsonValue({ maxDepth: 3 }) }),
          { minLength: 1, maxLength: 3 },
        ),
        (replacements) => {
          // A replaced ancestor can leave a later path dangling: those are skipped.
          let config: unknown = minimalConfig();
          for (const { path, value } of replacements) {
            try {
              config = applyPatch(config, [{ op: 'replace', path, value }]);
            } catch {
              // the path is gone
            }
          }
          const result = validateConfig(config);
          if (result.ok) return;
          for (const e of result.errors) {
            expect(typeof e.path).toBe('string');
            expect(e.message.length).toBeGreaterThan(0);
          }
          if (result.errors.every((e) => e.path.split('/').length > 2)) deep++;
        },
      ),
      { numRuns: 300 },
    );
    // The root's shape was passed and the errors found inside: most runs, not by luck.
    expect(deep).toBeGreaterThan(150);
  });

  it('when parts of the minimal config are removed at random, then validation never throws', () => {
    const paths = [
      '/steps/worry/on',
      '/steps/talk/timers',
      '/events/REFER',
      '/roles/leader',
      '/consentTypes',
      '/templates',
      '/fields',
      '/steps/team',
      '/events/ASSESS/payload',
      '/intake/payload',
      '/reopen',
      '/steps/closed',
    ];
    fc.assert(
      fc.property(fc.subarray(paths), (remove) => {
        const result = validateConfig(
          applyPatch(
            minimalConfig(),
            remove.map((path) => ({ op: 'remove' as const, path })),
          ),
        );
        expect(result.ok || result.errors.length > 0).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

describe('what roles see', () => {
  it('when roles say they see their own cases, the kommune or their family, then the config passes', () => {
    const config = minimalConfig();
    config.roles.teacher.sees = 'own';
    config.roles.leader.sees = 'kommune';
    config.roles.ungdom = { title: 'Ungdom', family: true };
    expect(validateConfig(config).ok).toBe(true);
  });

  it('when a family role also says it sees the whole kommune, then the error is at its "sees"', () => {
    const config = minimalConfig();
    config.roles.forelder = { title: 'Forelder', family: true, sees: 'kommune' };
    const result = validateConfig(config);
    expect(!result.ok && result.errors).toEqual([
      {
        path: '/roles/forelder/sees',
        message: 'role "forelder" is a family role and cannot see the whole kommune',
        hint: expect.stringContaining('family'),
        code: 'FAMILY_ROLE_SEES_KOMMUNE',
        nb: expect.stringContaining('Rollen «forelder» er en familierolle'),
      },
    ]);
  });

  it('when "sees" has a value the engine does not know, then the schema refuses it', () => {
    const config = applyPatch(minimalConfig(), [
      { op: 'add', path: '/roles/leader/sees', value: 'all' },
    ]);
    const result = validateConfig(config);
    expect(!result.ok && result.errors.map((e) => e.path)).toEqual(['/roles/leader/sees']);
  });
});

describe('the config schema and config/types.ts', () => {
  const defs = schema.$defs as Record<
    string,
    { properties?: Record<string, { enum?: unknown[] }>; enum?: unknown[] }
  >;

  it('when the enums of both are compared, then they list the same values', () => {
    expect(defs.step.properties?.level.enum).toEqual([...BtiLevels]);
    expect(defs.timerDays.enum).toEqual([...DayCounts]);
    expect(defs.timerAnchor.enum).toEqual([...TimerAnchors]);
    const final = defs.step.properties?.final as { properties: { outcome: { enum: unknown[] } } };
    expect(final.properties.outcome.enum).toEqual([...FinalOutcomes]);
    expect(defs.role.properties?.sees.enum).toEqual([...RoleSeesValues]);
  });

  it('when the schema is read, then every property carries an English description or a described $ref', () => {
    const missing: string[] = [];
    const visit = (node: unknown, path: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const props = (node as { properties?: Record<string, Record<string, unknown>> }).properties;
      for (const [name, prop] of Object.entries(props ?? {})) {
        const target =
          typeof prop.$ref === 'string' ? defs[prop.$ref.replace('#/$defs/', '')] : undefined;
        const described =
          typeof prop.description === 'string' ||
          typeof (target as { description?: unknown } | undefined)?.description === 'string' ||
          'const' in prop;
        if (!described) missing.push(`${path}/properties/${name}`);
      }
      for (const [key, child] of Object.entries(node)) visit(child, `${path}/${key}`);
    };
    visit(schema, '#');
    expect(missing).toEqual([]);
  });
});

describe('durations', () => {
  const schemaPattern = new RegExp((schema.$defs.duration as { pattern: string }).pattern, 'u');

  it('when any short text is read as a duration, then the schema and parseDuration agree', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^P?[0-9YMWDTH]{0,8}$/), (text) => {
        expect(parseDuration(text) !== null).toBe(schemaPattern.test(text));
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['P14D', { days: 14 }],
    ['P1Y6M', { years: 1, months: 6 }],
    ['PT12H', { hours: 12 }],
    ['P2W', { weeks: 2 }],
    ['P1DT30M', { days: 1, minutes: 30 }],
  ])('when %s is parsed, then its parts are read', (text, parts) => {
    expect(parseDuration(text)).toEqual({
      years: 0,
      months: 0,
      weeks: 0,
      days: 0,
      hours: 0,
      minutes: 0,
      ...parts,
    });
  });

  it.each(['P', 'PT', 'P1DT', 'P1H', 'PT1D', '14D', 'P1.5D', 'P1M1Y'])(
    'when %s is read, then it is not a duration',
    (text) => {
      expect(parseDuration(text)).toBeNull();
    },
  );
});
