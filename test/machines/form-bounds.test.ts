/**
 * The engine enforces the default bounds of payload forms: free text without its own
 * `maxLength` and lists without `maxItems`, however deep in the form; a config's own bound wins.
 * Cases that started before the bounds (compiled `legacy`) keep the forms they ran with.
 */
import { validateConfig, type KommuneConfig } from '../../config';
import { FormLimits } from '../../config/form-bounds';
import {
  applyEvent,
  compileKommune,
  openCase,
  type CaseState,
  type CompiledKommune,
} from '../../machines';
import { minimalConfig } from '../config/helpers/fixtures';
import { accepted, rejected } from './support';

const teacher = { id: 'teacher-1', role: 'teacher' };
const now = '2027-03-01T08:00:00.000Z';

function boundedKommune(): KommuneConfig {
  const config = minimalConfig();
  config.events.ASSESS.payload = {
    type: 'object',
    additionalProperties: false,
    required: ['score'],
    properties: {
      score: { type: 'integer', minimum: 0 },
      notat: { type: 'string' },
      sammendrag: { type: 'string', maxLength: 10_000 },
      tiltak: {
        type: 'array',
        items: { type: 'object', properties: { tittel: { type: 'string' } } },
      },
    },
  };
  const checked = validateConfig(config);
  if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
  return checked.config;
}

function opened(k: CompiledKommune): CaseState {
  return accepted(
    openCase(k, { caseId: 'c-1', referralSource: 'school', payload: {}, actor: teacher, now }),
  ).state;
}

const assess = (k: CompiledKommune, state: CaseState, payload: Record<string, unknown>) =>
  applyEvent(k, state, { type: 'ASSESS', actor: teacher, payload: { score: 1, ...payload } }, now);

describe('bounded payload forms in the engine', () => {
  const k = compileKommune(boundedKommune(), 1);

  it('when free text is one character over the default bound, then the event is refused at that field; at the bound it is accepted', () => {
    const state = opened(k);
    expect(
      rejected(assess(k, state, { notat: 'x'.repeat(FormLimits.textLength + 1) })),
    ).toMatchObject({
      code: 'PAYLOAD_INVALID',
      details: [
        { path: '/notat', message: `must NOT have more than ${FormLimits.textLength} characters` },
      ],
    });
    accepted(assess(k, state, { notat: 'x'.repeat(FormLimits.textLength) }));
  });

  it("when a form sets its own longer bound within the cap, then the form's bound holds", () => {
    const state = opened(k);
    accepted(assess(k, state, { sammendrag: 'x'.repeat(10_000) }));
    expect(rejected(assess(k, state, { sammendrag: 'x'.repeat(10_001) })).details).toEqual([
      {
        path: '/sammendrag',
        message: 'must NOT have more than 10000 characters',
        nb: 'Kan ikke være lengre enn 10000 tegn.',
      },
    ]);
  });

  it('when a list is longer than the default bound or text sits deep inside its items, then both are bounded', () => {
    const state = opened(k);
    const items = (n: number) => Array.from({ length: n }, () => ({ tittel: 't' }));
    expect(rejected(assess(k, state, { tiltak: items(FormLimits.items + 1) })).details).toEqual([
      {
        path: '/tiltak',
        message: `must NOT have more than ${FormLimits.items} items`,
        nb: `Kan ikke ha fler enn ${FormLimits.items} elementer.`,
      },
    ]);
    expect(
      rejected(assess(k, state, { tiltak: [{ tittel: 'x'.repeat(FormLimits.textLength + 1) }] }))
        .details,
    ).toEqual([
      {
        path: '/tiltak/0/tittel',
        message: `must NOT have more than ${FormLimits.textLength} characters`,
        nb: `Kan ikke være lengre enn ${FormLimits.textLength} tegn.`,
      },
    ]);
    accepted(assess(k, state, { tiltak: items(FormLimits.items) }));
  });

  it('when a case started before forms were bounded, then its engine keeps accepting what it accepted then', () => {
    const legacy = compileKommune(boundedKommune(), 1, { legacy: true });
    accepted(assess(legacy, opened(legacy), { notat: 'x'.repeat(FormLimits.textLength + 1) }));
  });
});
