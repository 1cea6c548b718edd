/**
 * Closing with a reason and the level the case had: one closing step serves three reasons,
 * chosen from a fixed list in the closing event's form, and a case closed at level 2 says so.
 */
import { validateConfig } from '../../config';
import type { KommuneConfig } from '../../config/types';
import { applyEvent, compileKommune, openCase, type Actor } from '../../machines';
import closingReasons from '../workflows/fixtures/closing-reasons.json';
import { accepted, rejected } from './support';

const config = closingReasons as KommuneConfig;
const k = compileKommune(config, 1);
const koordinator: Actor = { id: 'koordinator-1', role: 'koordinator' };
const T0 = '2027-03-01T08:00:00.000Z';

function atLevel2() {
  const opened = accepted(
    openCase(k, { caseId: 'c-1', referralSource: 'skole', actor: koordinator, now: T0 }),
  );
  return accepted(applyEvent(k, opened.state, { type: 'tilNiva2', actor: koordinator }, T0)).state;
}

test('when a case at level 2 is closed with a reason chosen in the form, then it is closed with that reason at level 2', () => {
  const r = accepted(
    applyEvent(
      k,
      atLevel2(),
      { type: 'avslutt', actor: koordinator, payload: { arsak: 'Familien trakk seg' } },
      T0,
    ),
  );
  expect(r.state).toMatchObject({
    step: 'avsluttet',
    status: 'closed',
    outcomeReason: 'Familien trakk seg',
    level: 2,
  });
});

test("when the closing form leaves the reason out, then the step's own reason is used", () => {
  const r = accepted(
    applyEvent(k, atLevel2(), { type: 'avslutt', actor: koordinator, payload: {} }, T0),
  );
  expect(r.state.outcomeReason).toBe('Avsluttet uten oppgitt årsak');
});

test('when a reason outside the list is sent, then it is refused at that field and the case stays open', () => {
  const r = rejected(
    applyEvent(
      k,
      atLevel2(),
      { type: 'avslutt', actor: koordinator, payload: { arsak: 'Kari Nordmann flyttet' } },
      T0,
    ),
  );
  expect(r).toMatchObject({ code: 'PAYLOAD_INVALID', details: [{ path: '/arsak' }] });
});

test('when a case closes from level 1, then it keeps level 1', () => {
  const opened = accepted(
    openCase(k, { caseId: 'c-2', referralSource: 'skole', actor: koordinator, now: T0 }),
  );
  const r = accepted(
    applyEvent(
      k,
      opened.state,
      { type: 'henlegg', actor: koordinator, payload: { arsak: 'Ingen grunn til bekymring' } },
      T0,
    ),
  );
  expect(r.state).toMatchObject({ level: 1, outcomeReason: 'Ingen grunn til bekymring' });
});

test('when an event leading to the step offers the reason as free text, then the config is refused at that transition', () => {
  const copy = structuredClone(closingReasons) as {
    events: { avslutt: { payload: { properties: { arsak: object } } } };
  };
  copy.events.avslutt.payload.properties.arsak = { type: 'string', maxLength: 200 };
  const result = validateConfig(copy);
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.errors).toEqual([
    expect.objectContaining({
      path: '/steps/tiltak/on/avslutt/target',
      message: expect.stringContaining('does not offer as a choice'),
    }),
  ]);
});
