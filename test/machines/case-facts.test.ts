/**
 * The statistics' facts of a case's changes (machines/case-facts.ts): what a leader's figures
 * need, and nothing a person typed or a person's id in clear.
 */
import { applyEvent, openCase, pseudonym, type Actor, type CaseState } from '../../machines';
import { caseFacts, type CaseFact } from '../../machines/case-facts';
import { accepted, compileSeed } from './support';

const k = compileSeed('lorenskog');
const key = new Uint8Array(32).fill(7);
const veiviser: Actor = { id: 'veiviser-1', role: 'veiviser' };

function factsOf(before: CaseState | null, after: CaseState, kind = 'event'): CaseFact[] {
  return caseFacts(before, after, {
    config: k.config,
    entry: { kind, what: '' },
    pseudonymOf: (id) => pseudonym(key, id),
  });
}

test('when a case is opened, sorted and closed with its reason kept in a text field, then its facts name steps, levels, the referral source, the case type and the holder by pseudonym, and nothing typed', () => {
  const opened = accepted(
    openCase(k, {
      caseId: 'f-1',
      referralSource: 'nav',
      payload: { henvendelsesgjelder: 'familie' },
      actor: veiviser,
      now: '2027-03-01T08:00:00.000Z',
    }),
  ).state;
  expect(factsOf(null, opened, 'opened')).toEqual([
    { kind: 'opened', step: 'mottak', level: 1, value: 'nav' },
    { kind: 'stepEntered', step: 'mottak', level: 1 },
    {
      kind: 'holderChanged',
      step: 'mottak',
      level: 1,
      value: pseudonym(key, 'veiviser-1'),
      detail: 'veiviser',
    },
    // henvendelsesgjelder is a field with an enum: the value is the config's own word.
    { kind: 'fieldSet', step: 'mottak', level: 1, detail: 'henvendelsesgjelder', value: 'familie' },
    { kind: 'dueChanged', step: 'mottak', level: 1, dueAt: expect.any(String) },
  ]);

  const sorted = accepted(
    applyEvent(
      k,
      opened,
      { type: 'avklarSakstype', actor: veiviser, payload: { sakstype: 'koble_tjenester' } },
      '2027-03-02T08:00:00.000Z',
    ),
  ).state;
  const moved = factsOf(opened, sorted);
  expect(moved.map((f) => f.kind)).toEqual(
    expect.arrayContaining(['stepLeft', 'stepEntered', 'levelChanged', 'fieldSet']),
  );
  expect(moved.find((f) => f.kind === 'fieldSet')).toMatchObject({
    detail: 'sakstype',
    value: 'koble_tjenester',
  });

  // avslutningsarsak is a text field (no enum): recorded in the case, never a fact.
  const closed = accepted(
    applyEvent(
      k,
      sorted,
      { type: 'avsluttVeivisersak', actor: veiviser, payload: { arsak: 'tjenester_koblet' } },
      '2027-04-02T08:00:00.000Z',
    ),
  ).state;
  expect(closed.data.avslutningsarsak).toBe('tjenester_koblet');
  const closing = factsOf(sorted, closed);
  expect(closing.find((f) => f.kind === 'closed')).toMatchObject({
    value: 'closed',
    detail: closed.outcomeReason,
  });
  expect(closing.filter((f) => f.kind === 'fieldSet')).toEqual([]);
  expect(JSON.stringify([moved, closing])).not.toContain('veiviser-1');
});
