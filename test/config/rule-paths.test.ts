/**
 * Rule paths checked against the forms they read: nested payload properties and case fields,
 * with did-you-mean, and arithmetic over values that may be missing.
 */
import type { KommuneConfig } from '../../config';
import { loadSeed } from '../machines/support';
import { applyPatch, type PatchOp } from './helpers/apply-patch';
import { minimalConfig } from './helpers/fixtures';
import { refusalsOf as errorsOf } from './helpers/refusals';

/** The minimal config with a checklist form on ASSESS and `when` as its first gate's rule. */
function withChecklistGate(when: unknown, checklist: Record<string, unknown> = {}): KommuneConfig {
  const ops: PatchOp[] = [
    {
      op: 'add',
      path: '/events/ASSESS/payload/properties/sjekkliste',
      value: {
        type: 'object',
        additionalProperties: false,
        required: ['endretAtferd', 'fravaer', 'tiltak'],
        properties: {
          endretAtferd: { type: 'integer' },
          fravaer: { type: 'integer' },
          merknad: { type: 'integer' },
          tiltak: { type: 'array', items: { type: 'string' } },
        },
        ...checklist,
      },
    },
    { op: 'replace', path: '/events/ASSESS/payload/required', value: ['score', 'sjekkliste'] },
    { op: 'replace', path: '/steps/worry/on/ASSESS/0/when', value: when },
  ];
  return applyPatch(minimalConfig(), ops);
}

const sum = (...names: string[]) => ({ '>=': [{ '+': names.map((n) => ({ var: n })) }, 2] });

describe('rule paths into nested forms', () => {
  it('when a gate sums a checklist with a misspelt item, then the error is at that var and suggests the declared item', () => {
    const errors = errorsOf(
      withChecklistGate(sum('payload.sjekkliste.endretAtferdd', 'payload.sjekkliste.fravaer')),
    );
    expect(errors).toEqual([
      {
        path: '/steps/worry/on/ASSESS/0/when/>=/0/+/0/var',
        message:
          '"payload.sjekkliste.endretAtferdd": "sjekkliste" in the payload of event "ASSESS" has no property "endretAtferdd"',
        hint: 'did you mean "payload.sjekkliste.endretAtferd"?',
        code: 'UNKNOWN_PAYLOAD_PROPERTY',
        nb: '«payload.sjekkliste.endretAtferdd»: «sjekkliste» i skjemaet til hendelsen «ASSESS» har ikke feltet «endretAtferdd». Mente du «payload.sjekkliste.endretAtferd»?',
      },
    ]);
  });

  it('when a gate sums required checklist items, then the config is valid', () => {
    expect(
      errorsOf(
        withChecklistGate(sum('payload.sjekkliste.endretAtferd', 'payload.sjekkliste.fravaer')),
      ),
    ).toEqual([]);
  });

  it('when an optional item is summed, then it is refused with a hint to require it or give a default; with a default it is valid', () => {
    const errors = errorsOf(
      withChecklistGate(sum('payload.sjekkliste.endretAtferd', 'payload.sjekkliste.merknad')),
    );
    expect(errors).toEqual([
      {
        path: '/steps/worry/on/ASSESS/0/when/>=/0/+/1/var',
        message: expect.stringContaining(
          '"+" reads "payload.sjekkliste.merknad", which may be missing',
        ),
        hint: 'make "sjekkliste.merknad" required in the form, or give a default: {"var": ["payload.sjekkliste.merknad", 0]}',
        code: 'RULE_MAYBE_MISSING_VALUE',
        nb: expect.stringContaining(
          'gi en standardverdi: {"var": ["payload.sjekkliste.merknad", 0]}',
        ),
      },
    ]);
    const withDefault = {
      '>=': [
        {
          '+': [
            { var: 'payload.sjekkliste.endretAtferd' },
            { var: ['payload.sjekkliste.merknad', 0] },
          ],
        },
        2,
      ],
    };
    expect(errorsOf(withChecklistGate(withDefault))).toEqual([]);
  });

  it('when the checklist itself is optional in the form, then even its required items may be missing', () => {
    const config = withChecklistGate(
      sum('payload.sjekkliste.endretAtferd', 'payload.sjekkliste.fravaer'),
    );
    config.events.ASSESS.payload!.required = ['score'];
    expect(errorsOf(config).map((e) => e.path)).toEqual([
      '/steps/worry/on/ASSESS/0/when/>=/0/+/0/var',
      '/steps/worry/on/ASSESS/0/when/>=/0/+/1/var',
    ]);
  });

  it('when a rule counts a list with .length or reads an item by index, then the path is understood', () => {
    expect(
      errorsOf(withChecklistGate({ '>=': [{ var: 'payload.sjekkliste.tiltak.length' }, 1] })),
    ).toEqual([]);
    expect(
      errorsOf(withChecklistGate({ '==': [{ var: 'payload.sjekkliste.tiltak.0' }, 'x'] })),
    ).toEqual([]);
    expect(
      errorsOf(withChecklistGate({ '<': [{ var: 'payload.sjekkliste.tiltak.0' }, 'x'] })).map(
        (e) => e.message,
      ),
    ).toEqual([expect.stringContaining('may be missing')]);
  });

  it('when a nested property is declared only in a then-branch, then reading it is allowed but it counts as possibly missing', () => {
    const config = withChecklistGate(
      { '==': [{ var: 'payload.sjekkliste.grunn' }, 1] },
      {
        if: { properties: { fravaer: { const: 1 } } },
        then: { required: ['grunn'], properties: { grunn: { type: 'integer' } } },
        additionalProperties: true,
      },
    );
    expect(errorsOf(config)).toEqual([]);
  });

  it('when a nested case field is read with a typo, then the error names the field and suggests the right property', () => {
    const config = applyPatch(minimalConfig(), [
      {
        op: 'add',
        path: '/fields/familie',
        value: { type: 'object', properties: { antallBarn: { type: 'integer' } } },
      },
      {
        op: 'replace',
        path: '/steps/talk/on/REFER/when',
        value: { '==': [{ var: 'data.familie.antalBarn' }, 2] },
      },
    ]);
    expect(errorsOf(config)).toEqual([
      {
        path: '/steps/talk/on/REFER/when/==/0/var',
        message:
          '"data.familie.antalBarn": "familie" in the case\'s data has no property "antalBarn"',
        hint: 'did you mean "data.familie.antallBarn"?',
        code: 'UNKNOWN_FIELD_PROPERTY',
        nb: '«data.familie.antalBarn»: «familie» i sakens data har ikke feltet «antalBarn». Mente du «data.familie.antallBarn»?',
      },
    ]);
  });

  it('when a case field required at intake is compared, then it is valid; a field recorded later needs a default', () => {
    const required = applyPatch(minimalConfig(), [
      { op: 'add', path: '/intake/payload/required', value: ['childAge'] },
      {
        op: 'replace',
        path: '/steps/talk/on/REFER/when',
        value: { '<': [{ var: 'data.childAge' }, 18] },
      },
    ]);
    expect(errorsOf(required)).toEqual([]);
    const later = applyPatch(minimalConfig(), [
      {
        op: 'replace',
        path: '/steps/talk/on/REFER/when',
        value: { max: [{ var: 'data.riskScore' }, 1] },
      },
    ]);
    expect(errorsOf(later)).toEqual([
      {
        path: '/steps/talk/on/REFER/when/max/0/var',
        message: expect.stringContaining('"max" reads "data.riskScore", which may be missing'),
        hint: 'give a default: {"var": ["data.riskScore", 0]}, or require "riskScore" in the intake form',
        code: 'RULE_MAYBE_MISSING_VALUE',
        nb: expect.stringContaining('«max» leser «data.riskScore», som kan mangle'),
      },
    ]);
  });

  it("when a seed's weighted risk score reads a misspelt risk factor, then the seed is refused at that var with the right name suggested", () => {
    const seed = loadSeed('oygarden');
    const text = JSON.stringify(seed).replace(
      '"payload.risikofaktorer.atferdsendring"',
      '"payload.risikofaktorer.atferdsendringg"',
    );
    const errors = errorsOf(JSON.parse(text) as KommuneConfig);
    // The score is said once (computed) and read by both assessments: checked against each form.
    expect(errors).toEqual(
      ['registrerVurdering', 'sendEgenvurdering'].map((event) =>
        expect.objectContaining({
          path: '/computed/risikoskaar/+/0/if/0/var',
          message: expect.stringContaining(`the payload of event "${event}"`),
          hint: 'did you mean "payload.risikofaktorer.atferdsendring"?',
        }),
      ),
    );
  });
});
