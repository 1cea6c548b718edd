/**
 * One truth for payload forms: what the validator accepts, the engine compiles and enforces —
 * conditional `required`, patterns on RE2 (linear time), and default bounds on free text and lists.
 */
import { validateConfig, type KommuneConfig } from '../../config';
import { createPayloadAjv, payloadSchemaCompiler } from '../../config/create-ajv';
import { FormLimits, boundedForm } from '../../config/form-bounds';
import { compileErrors, compileKommune, openCase } from '../../machines';
import { compileKommuneFresh } from '../../machines/compile-kommune';
import { minimalConfig } from './helpers/fixtures';

const teacher = { id: 'teacher-1', role: 'teacher' };
const now = '2027-03-01T08:00:00.000Z';

function valid(config: KommuneConfig): KommuneConfig {
  const result = validateConfig(config);
  if (!result.ok)
    throw new Error(`expected a valid config, got ${JSON.stringify(result.errors, null, 2)}`);
  return result.config;
}

describe('payload forms: what validates, compiles and runs', () => {
  it('when an intake form requires a property only under a condition (then.required), then it validates, compiles and a case opens', () => {
    const config = minimalConfig();
    config.intake.payload = {
      type: 'object',
      additionalProperties: false,
      properties: { childAge: { type: 'integer' }, school: { type: 'string' } },
      if: { properties: { childAge: { minimum: 6 } }, required: ['childAge'] },
      then: { required: ['school'] },
    };
    const k = compileKommune(valid(config), 1);
    expect(
      openCase(k, {
        caseId: 'c-1',
        referralSource: 'school',
        payload: { childAge: 9, school: 'Hjelteryggen' },
        actor: teacher,
        now,
      }).ok,
    ).toBe(true);
    const refused = openCase(k, {
      caseId: 'c-2',
      referralSource: 'school',
      payload: { childAge: 9 },
      actor: teacher,
      now,
    });
    expect(refused).toMatchObject({
      ok: false,
      rejection: { code: 'PAYLOAD_INVALID', details: [{ path: '/school' }] },
    });
  });

  it('when two forms carry the same $id, then the config validates and compiles', () => {
    const config = minimalConfig();
    config.events.ASSESS.payload!.$id = 'https://sluse.example/skjema';
    config.events.CONSENT.payload!.$id = 'https://sluse.example/skjema';
    expect(compileErrors(valid(config))).toEqual([]);
  });

  it('when a form has a catastrophic-backtracking pattern, then it is accepted and 40 "a"s and a "!" are checked in microseconds', () => {
    const config = minimalConfig();
    config.events.ASSESS.payload!.properties = {
      score: { type: 'integer' },
      kode: { type: 'string', pattern: '^(a+)+$' },
    };
    const k = compileKommune(valid(config), 1);
    const validate = k.validators.events.get('ASSESS')!;
    const payload = { score: 1, kode: `${'a'.repeat(40)}!` };
    expect(validate(payload)).toBe(false);
    const runs = 1_000;
    const started = process.hrtime.bigint();
    for (let i = 0; i < runs; i++) validate(payload);
    const microsEach = Number(process.hrtime.bigint() - started) / 1_000 / runs;
    // JavaScript's RegExp needs about 2^40 steps here; RE2 about 40. Generous for a shared CI core.
    expect(microsEach).toBeLessThan(1_000);
  });

  it('when a pattern is used in patternProperties, then RE2 runs it too', () => {
    const ajv = createPayloadAjv();
    const validate = ajv.compile({
      type: 'object',
      patternProperties: { '^(a+)+$': { type: 'integer' } },
    });
    expect(validate({ aaaa: 1 })).toBe(true);
    expect(validate({ aaaa: 'x' })).toBe(false);
    expect(validate({ [`${'a'.repeat(40)}!`]: 'x' })).toBe(true);
  });

  it('when a form leaves text and lists unbounded, then the engine bounds them and explicit bounds within the caps stay', () => {
    const form = {
      type: 'object',
      properties: {
        notat: { type: 'string' },
        kort: { type: 'string', maxLength: 10 },
        lang: { type: 'string', maxLength: FormLimits.maxTextLength },
        tiltak: {
          type: 'array',
          items: { type: 'object', properties: { tittel: { type: 'string' } } },
        },
        hva: true,
        ikke: { not: { type: 'string' } },
      },
    };
    expect(boundedForm(form)).toEqual({
      type: 'object',
      properties: {
        notat: { type: 'string', maxLength: FormLimits.textLength },
        kort: { type: 'string', maxLength: 10 },
        lang: { type: 'string', maxLength: FormLimits.maxTextLength },
        tiltak: {
          type: 'array',
          maxItems: FormLimits.items,
          items: {
            type: 'object',
            properties: { tittel: { type: 'string', maxLength: FormLimits.textLength } },
          },
        },
        hva: { maxLength: FormLimits.textLength, maxItems: FormLimits.items },
        // Inside a condition nothing is tightened: a bounded `not` would widen the form.
        ikke: {
          not: { type: 'string' },
          maxLength: FormLimits.textLength,
          maxItems: FormLimits.items,
        },
      },
    });
    expect(form.properties.notat).toEqual({ type: 'string' });
  });

  it('when a config is compiled, then each allowed event form shows the bounds the engine enforces', () => {
    const config = minimalConfig();
    config.events.ASSESS.payload!.properties = {
      score: { type: 'integer' },
      notat: { type: 'string' },
    };
    const k = compileKommune(valid(config), 1);
    expect(k.eventForms.get('ASSESS')).toMatchObject({
      properties: { notat: { type: 'string', maxLength: FormLimits.textLength } },
    });
    const legacy = compileKommune(config, 1, { legacy: true });
    expect(legacy.eventForms.get('ASSESS')).toEqual(config.events.ASSESS.payload);
  });

  it('when a form cannot be compiled, then compileErrors names its JSON path', () => {
    const config = minimalConfig();
    config.events.ASSESS.payload!.properties = { kode: { type: 'string', pattern: '(?=x)' } };
    expect(compileErrors(config)).toEqual([
      {
        path: '/events/ASSESS/payload',
        message: expect.stringContaining('the engine cannot compile this config'),
        hint: expect.any(String),
        code: 'ENGINE_COMPILE_FAILED',
        nb: expect.stringContaining('Motoren kan ikke bygge saksflyten'),
      },
    ]);
  });
  it('when a config was validated, then the engine reuses its compiled forms; an invalid form is refused every time, at its path', () => {
    const config = minimalConfig();
    const compile = payloadSchemaCompiler();
    expect(validateConfig(config).ok).toBe(true);
    const engine = compileKommuneFresh(JSON.parse(JSON.stringify(config)) as KommuneConfig, 1);
    // The same validator, not a second compile of the same text.
    const validator = compile(boundedForm(config.events.ASSESS.payload!));
    expect(engine.validators.events.get('ASSESS')).toBe(validator);

    const broken = minimalConfig();
    const form = broken.events.ASSESS.payload!;
    form.properties = { ...(form.properties as object), kode: { type: 'string', minLength: 'x' } };
    for (let i = 0; i < 2; i++) {
      expect(validateConfig(broken)).toMatchObject({
        ok: false,
        errors: [{ path: '/events/ASSESS/payload', code: 'FORM_SCHEMA_INVALID' }],
      });
      expect(compileErrors(broken)).toMatchObject([
        { path: '/events/ASSESS/payload', code: 'ENGINE_COMPILE_FAILED' },
      ]);
    }
  });
});
