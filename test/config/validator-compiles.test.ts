/**
 * Property: every config the validator accepts compiles in the engine and can open a case — the
 * seeds, kommune-shaped generated configs, and mutations of the seeds (conditional `required`,
 * patterns, nested forms, bounds, rules reading nested paths). The validator may refuse what it
 * likes; what it accepts must run.
 */
import fc from 'fast-check';
import { validateConfig, type JsonSchema, type KommuneConfig } from '../../config';
import {
  applyEvent,
  compileErrors,
  compileKommune,
  openCase,
  type StepResult,
} from '../../machines';
import { holfIntake, loadSeed, seedIds } from '../machines/support';

jest.setTimeout(120_000);

const now = '2027-03-01T08:00:00.000Z';

/** A form with a payload it must accept (when `valid`; keyword soup may make any payload fail). */
interface Sample {
  schema: JsonSchema;
  example: unknown;
  valid: boolean;
}

/** Patterns with a string they match; some RE2 refuses (the validator must too). */
const PATTERNS: Array<[string, string]> = [
  ['^(a+)+$', 'aaa'],
  ['^[0-9]{4}$', '2027'],
  ['^\\p{L}+$', 'Øygarden'],
  ['^(?<aar>\\d{4})-\\d{2}$', '2027-01'],
  ['\\u00e6', 'æ'],
  ['^(a)\\1$', 'aa'],
  ['^(?=a)a$', 'a'],
  ['^(?!b)a', 'a'],
  ['(?<=x)y', 'xy'],
  ['[', '['],
  ['x{2000}', 'x'],
];

const word = fc.constantFrom(
  'notat',
  'dato',
  'antall',
  'barn',
  'tiltak',
  'sjekkliste',
  'kode',
  'grunn',
  'alder',
);

const leaf: fc.Arbitrary<Sample> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constant({ schema: { type: 'string' }, example: 'tekst', valid: true }),
  },
  {
    weight: 3,
    arbitrary: fc.constant({
      schema: { type: 'integer', minimum: 0, maximum: 10 },
      example: 3,
      valid: true,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.constant({ schema: { type: 'boolean' }, example: true, valid: true }),
  },
  {
    weight: 2,
    arbitrary: fc.constant({
      schema: { type: 'string', enum: ['a', 'b'] },
      example: 'a',
      valid: true,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.constant({
      schema: { type: 'string', format: 'date' },
      example: '2027-01-15',
      valid: true,
    }),
  },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(...PATTERNS)
      .map(([pattern, example]) => ({ schema: { type: 'string', pattern }, example, valid: true })),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 1, max: 30_000 })
      .map((n) => ({ schema: { type: 'string', maxLength: n }, example: 'x', valid: true })),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 0, max: 2_000 }).map((n) => ({
      schema: { type: 'array', items: { type: 'integer' }, maxItems: n },
      example: [],
      valid: true,
    })),
  },
  {
    weight: 1,
    arbitrary: fc.constant({ schema: true as unknown as JsonSchema, example: 'alt', valid: true }),
  },
  // Keyword soup: whatever ajv and the checks make of it.
  {
    weight: 1,
    arbitrary: fc
      .dictionary(
        fc.constantFrom(
          'type',
          'pattern',
          'maxLength',
          'minimum',
          'items',
          'required',
          'format',
          'then',
          'enum',
          '$id',
          'patternProperties',
        ),
        fc.jsonValue({ maxDepth: 2 }),
        { maxKeys: 3 },
      )
      .map((schema) => ({ schema, example: undefined, valid: false })),
  },
);

/** An object form of named samples, some required, maybe with a conditional `then.required`. */
function objectOf(child: fc.Arbitrary<Sample>): fc.Arbitrary<Sample> {
  return fc
    .record({
      fields: fc.uniqueArray(fc.tuple(word, child, fc.boolean()), {
        maxLength: 4,
        selector: ([name]) => name,
      }),
      conditional: fc.boolean(),
      closed: fc.boolean(),
    })
    .map(({ fields, conditional, closed }) => {
      const schema: JsonSchema = {
        type: 'object',
        properties: Object.fromEntries(fields.map(([name, s]) => [name, s.schema])),
      };
      if (closed) schema.additionalProperties = false;
      const required = fields.filter(([, , r]) => r).map(([name]) => name);
      if (required.length > 0) schema.required = required;
      const example: Record<string, unknown> = {};
      for (const [name, s] of fields) if (s.example !== undefined) example[name] = s.example;
      const [first, second] = fields
        .map(([name]) => name)
        .filter((name) => example[name] !== undefined);
      if (conditional && second !== undefined) {
        schema.if = { properties: { [first]: { const: example[first] } }, required: [first] };
        schema.then = { required: [second] };
      }
      // Soup may reject anything it is given, but an optional field left out is never checked.
      const valid = fields.every(([, s, r]) => s.valid || (!r && s.example === undefined));
      return { schema, example, valid };
    });
}

const form: fc.Arbitrary<Sample> = fc.letrec<{ node: Sample; form: Sample }>((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, tie('form')),
  form: objectOf(tie('node')),
})).form;

/** Dotted paths to every value of a sample's example (for rules to read). */
function pathsOf(value: unknown, prefix: string): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix];
  return [prefix, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, `${prefix}.${k}`))];
}

/** A gate rule over the event's payload: a real or misspelt path, compared or summed, with or without a default. */
function ruleOver(sample: Sample): fc.Arbitrary<unknown> {
  const paths = pathsOf(sample.example, 'payload').slice(1);
  if (paths.length === 0) return fc.constant({ '==': [{ var: 'case.level' }, 0] });
  return fc
    .record({
      path: fc.constantFrom(...paths),
      typo: fc.nat(4).map((n) => n === 0),
      op: fc.constantFrom('==', '>=', '+', 'max', '!'),
      fallback: fc.nat(2).map((n) => n > 0),
    })
    .map(({ path, typo, op, fallback }) => {
      const name = typo ? `${path}x` : path;
      const read = { var: fallback ? [name, 0] : name };
      return op === '+'
        ? { '>=': [{ '+': [read, 1] }, 2] }
        : op === '!'
          ? { '!': read }
          : { [op]: [read, 1] };
    });
}

/** A small kommune with a generated intake form, a generated event form and a gate over it. */
const generatedKommune = fc.record({ intake: form, event: form }).chain(({ intake, event }) =>
  ruleOver(event).map((when) => {
    const config = {
      id: 'generert',
      name: 'Generert kommune',
      roles: { veileder: { title: 'Veileder' } },
      referralSources: { skole: { title: 'Skole' } },
      intake: { step: 'start', roles: ['veileder'], payload: intake.schema },
      steps: {
        start: {
          title: 'Start',
          level: 0,
          holderRole: 'veileder',
          on: { VURDER: [{ target: 'oppfolging', when }, { target: 'avsluttet' }] },
        },
        oppfolging: {
          title: 'Oppfølging',
          level: 1,
          holderRole: 'veileder',
          on: { AVSLUTT: { target: 'avsluttet' } },
        },
        avsluttet: {
          title: 'Avsluttet',
          level: 0,
          holderRole: 'veileder',
          final: { outcome: 'closed', reason: 'Saken er avsluttet' },
        },
      },
      events: {
        VURDER: { title: 'Vurder', roles: ['veileder'], payload: event.schema },
        AVSLUTT: { title: 'Avslutt', roles: ['veileder'] },
      },
    } as unknown as KommuneConfig;
    return { config, intake, event };
  }),
);

/** Opening never throws; with a payload the form must accept, it opens. */
function expectOpens(config: KommuneConfig, payload: unknown, mustOpen: boolean): void {
  expect(compileErrors(config)).toEqual([]);
  const k = compileKommune(config, 1);
  const actor = { id: 'u-1', role: config.intake.roles[0] };
  const result = openCase(k, {
    caseId: 'c-1',
    referralSource: Object.keys(config.referralSources)[0],
    payload,
    actor,
    now,
  });
  if (mustOpen) expect(result).toMatchObject({ ok: true });
  else if (!result.ok)
    expect(['PAYLOAD_INVALID', 'CONSENT_MISSING']).toContain(result.rejection.code);
}

/** A valid intake payload for each seed. */
const SEED_INTAKE: Record<string, Record<string, unknown>> = {
  lorenskog: { henvendelsesgjelder: 'barn' },
  oygarden: { arena: 'skole', barnetsAlder: 9 },
  'nav-holf': holfIntake(),
};

describe('what the validator accepts, the engine compiles and runs', () => {
  it.each(seedIds())('when the seed %s is validated, then it compiles and opens a case', (id) => {
    const config = loadSeed(id);
    expect(validateConfig(config)).toMatchObject({ ok: true });
    expectOpens(config, SEED_INTAKE[id], true);
  });

  it('when a kommune-shaped config is generated, then whenever the validator accepts it, it compiles, opens a case and takes its event', () => {
    const RUNS = 100;
    let accepted = 0;
    fc.assert(
      fc.property(generatedKommune, ({ config, intake, event }) => {
        if (!validateConfig(config).ok) return;
        accepted++;
        expectOpens(config, intake.example, intake.valid);
        if (!intake.valid) return;
        const k = compileKommune(config, 1);
        const opened = openCase(k, {
          caseId: 'c-1',
          referralSource: 'skole',
          payload: intake.example,
          actor: { id: 'u-1', role: 'veileder' },
          now,
        });
        if (!opened.ok) return;
        const sent: StepResult = applyEvent(
          k,
          opened.state,
          { type: 'VURDER', actor: { id: 'u-1', role: 'veileder' }, payload: event.example },
          now,
        );
        if (event.valid) expect(sent).toMatchObject({ ok: true });
      }),
      { numRuns: RUNS },
    );
    // Guards the generator: a property over configs the validator always refuses proves nothing.
    expect(accepted).toBeGreaterThan(RUNS / 10);
  });

  it("when a seed's forms are mutated (conditional required, patterns, nested forms, bounds), then whenever the validator accepts it, it compiles and opens a case", () => {
    const mutation = fc.record({
      seed: fc.constantFrom(...seedIds()),
      target: fc.nat(),
      intake: fc.boolean(),
      added: form,
      name: word.map((w) => `${w}Ny`),
      required: fc.boolean(),
    });
    const RUNS = 40;
    let accepted = 0;
    fc.assert(
      fc.property(mutation, ({ seed, target, intake, added, name, required }) => {
        const config = loadSeed(seed);
        const withForms = Object.values(config.events).filter((e) => e.payload?.properties);
        const payloadForm = intake
          ? config.intake.payload!
          : withForms[target % withForms.length].payload!;
        (payloadForm.properties as Record<string, unknown>)[name] = added.schema;
        if (required) payloadForm.required = [...((payloadForm.required as string[]) ?? []), name];
        if (!validateConfig(config).ok) return;
        accepted++;
        const payload =
          intake && added.example !== undefined
            ? { ...SEED_INTAKE[seed], [name]: added.example }
            : SEED_INTAKE[seed];
        expectOpens(
          config,
          payload,
          !intake || added.valid || (!required && added.example === undefined),
        );
      }),
      { numRuns: RUNS },
    );
    expect(accepted).toBeGreaterThan(RUNS / 10);
  });
});
