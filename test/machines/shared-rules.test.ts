/**
 * Rules said once: a withdrawal handled at every level from 1 (`sharedEvents`), and a checklist
 * score (`computed`) read by a gate and recorded as the checklist's result. The machine, the
 * events offered and the statechart treat a shared event as if written in each step.
 */
import type { KommuneConfig } from '../../config/types';
import {
  allowedEvents,
  applyEvent,
  compileKommune,
  openCase,
  type Actor,
  type CaseState,
  type CompiledKommune,
} from '../../machines';
import { configTransitions } from '../../machines/config-graph';
import sharedRules from '../workflows/fixtures/shared-rules.json';
import { accepted, rejected } from './support';

const config = sharedRules as KommuneConfig;
const koordinator: Actor = { id: 'koordinator-1', role: 'koordinator' };
const T0 = '2027-05-03T08:00:00.000Z';

function send(k: CompiledKommune, state: CaseState, type: string, payload?: object): CaseState {
  return accepted(applyEvent(k, state, { type, actor: koordinator, payload }, T0)).state;
}

/** A case in `kartlegging` (level 1), with the checklist when given. */
function inKartlegging(checklist?: object) {
  const k = compileKommune(config, 1);
  const open = accepted(
    openCase(k, { caseId: 'c-1', referralSource: 'skole', actor: koordinator, now: T0 }),
  );
  let state = send(k, open.state, 'startKartlegging');
  if (checklist) state = send(k, state, 'registrerSjekkliste', checklist);
  return { k, state };
}

const offered = (k: CompiledKommune, state: CaseState) =>
  allowedEvents(k, state, koordinator).map((e) => e.type);

describe('shared events', () => {
  test('when the case is at level 1 or 2, then the shared withdrawal is offered and ends it withdrawn at the level it had', () => {
    const { k, state } = inKartlegging({ skolefravaer: 3, konflikt: 0, bekymring: 0 });
    expect(offered(k, state)).toContain('trekkSamtykke');
    expect(send(k, state, 'trekkSamtykke')).toMatchObject({
      status: 'withdrawn',
      step: 'trukket',
      level: 1,
    });

    const level2 = send(k, state, 'vurder');
    expect(level2).toMatchObject({ step: 'tverrfaglig', level: 2 });
    expect(offered(k, level2)).toEqual(['tilSpesialist', 'avslutt', 'trekkSamtykke']);
    expect(send(k, level2, 'trekkSamtykke')).toMatchObject({ step: 'trukket', level: 2 });
  });

  test('when the case is at level 0, outside the range, then the withdrawal is neither offered nor accepted', () => {
    const k = compileKommune(config, 1);
    const { state } = accepted(
      openCase(k, { caseId: 'c-1', referralSource: 'skole', actor: koordinator, now: T0 }),
    );
    expect(state.level).toBe(0);
    expect(offered(k, state)).not.toContain('trekkSamtykke');
    const refused = rejected(
      applyEvent(k, state, { type: 'trekkSamtykke', actor: koordinator }, T0),
    );
    expect(refused.code).toBe('EVENT_NOT_ALLOWED');
  });

  test("when a step in the range handles the event itself, then the step's own transition wins", () => {
    const { k, state } = inKartlegging({ skolefravaer: 3, konflikt: 0, bekymring: 0 });
    const spesialist = send(k, send(k, state, 'vurder'), 'tilSpesialist');
    expect(spesialist.level).toBe(3);
    expect(send(k, spesialist, 'trekkSamtykke')).toMatchObject({
      step: 'overfort',
      status: 'handed_over',
    });
  });

  test('when the statechart is drawn, then each step in the range has the withdrawal and no other step does', () => {
    const withdrawals = configTransitions(config)
      .filter((t) => t.event === 'trekkSamtykke')
      .map((t) => `${t.from}→${t.to}`);
    expect(withdrawals).toEqual([
      'kartlegging→trukket',
      'tverrfaglig→trukket',
      'spesialist→overfort',
    ]);
  });
});

describe('computed values', () => {
  test('when the checklist is recorded, then its weighted score is recorded as its result', () => {
    const { state } = inKartlegging({ skolefravaer: 2, konflikt: 1, bekymring: 1 });
    expect(state.data).toMatchObject({ skolefravaer: 2, konflikt: 1, bekymring: 1, skaar: 6 });
  });

  test('when the score is 5 or more, then the gate lets the case on to the tverrfaglig team', () => {
    const { k, state } = inKartlegging({ skolefravaer: 2, konflikt: 1, bekymring: 0 });
    expect(send(k, state, 'vurder')).toMatchObject({ step: 'tverrfaglig', level: 2 });
  });

  test('when the score is under 5, then the gate refuses with its description and the case stays', () => {
    const { k, state } = inKartlegging({ skolefravaer: 1, konflikt: 1, bekymring: 1 });
    expect(state.data.skaar).toBe(4);
    const refused = rejected(applyEvent(k, state, { type: 'vurder', actor: koordinator }, T0));
    expect(refused.code).toBe('NO_GATE_MATCHED');
    expect(refused.details[0]?.message).toContain('Sjekklisteskåren må være minst 5');
  });

  test('when no checklist is recorded yet, then the score counts the missing answers as 0', () => {
    const { k, state } = inKartlegging();
    expect(rejected(applyEvent(k, state, { type: 'vurder', actor: koordinator }, T0)).code).toBe(
      'NO_GATE_MATCHED',
    );
  });
});
