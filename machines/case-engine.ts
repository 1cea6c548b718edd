/**
 * The pure case engine: open a case, apply a coordinator's event, fire a timer, reopen a closed
 * case. Every command returns the next `CaseState` with the side effects to run, or a
 * `Rejection` saying why not. Rejections never throw; only programmer errors do (an invalid
 * `now`, a state that does not belong to the config).
 *
 * Who holds the case (the stafettholder) changes only explicitly: by a `handover` effect in the
 * transition, or at intake to the person opening the case when their role holds the intake step.
 * Entering a step whose holder role differs keeps the current holder: responsibility stays
 * with the named person until they hand it on, as the BTI model requires, and the mismatch
 * is visible as `holder.role !== steps[step].holderRole`.
 *
 * @module
 */
import {
  DEFAULT_SELF_REFERRAL_YOUTH_AGE,
  type Effect,
  type EventId,
  type KommuneConfig,
  type ReopenDef,
  type Rule,
  type StepDef,
  type Transition,
} from '../config/types';
import { actedBy, mayAct } from './case-actors';
import { allowedEventTypes } from './case-queries';
import type { CompiledKommune } from './compile-kommune';
import {
  compileMachine,
  enterFirstStep,
  SIDE_EFFECT_ACTION,
  stepMachine,
  type CaseMachine,
  type MachineEvent,
} from './compile-machine';
import { checkConsentGivers } from './consent-givers';
import { consentTitles, missingConsents } from './consents';
import { addDuration } from './durations';
import { applyStateEffects, enterStep, sideEffectsOf } from './effects';
import { ENGINE_ACTOR, EngineEvents } from './engine-names';
import { instant, toOsloLocal } from './oslo-time';
import { checkPayload } from './payload-validation';
import { isPersonId, PERSON_ID_PATTERN } from './person-id';
import { ruleFacts, ruleHolds, type RuleFacts } from './rules';
import { withSharedEvents } from '../config/shared-events';
import { teamChoiceRejection } from './teams';
import { extendedDue, refreshTimers, timersOnEntry } from './timers';
import {
  SYSTEM_ROLE,
  type Actor,
  type CaseEvent,
  type CaseState,
  type Rejection,
  type RejectionCode,
  type SideEffect,
  type StepResult,
  type TeamMember,
} from './types';

export { EngineEvents, ENGINE_ACTOR };

/**
 * At most this many people on a case's team. The holder's and the team's pseudonyms are one
 * search attribute, which Temporal caps at 2 KB; a familieteam is a handful of people.
 */
export const MAX_TEAM_MEMBERS = 50;

export interface OpenCaseInput {
  /** Carries no personal data: it ends up in workflow ids and search attributes. */
  caseId: string;
  referralSource: string;
  payload?: unknown;
  actor: Actor;
  now: string;
  /**
   * The family's own request (`config.selfReferral`): a family role opens the case in the
   * self-referral step, with its answers as the payload and the asker on the case's team.
   */
  selfReferral?: boolean;
}

export interface ReopenCaseInput {
  actor: Actor;
  payload?: unknown;
  now: string;
}

/**
 * Opens a case in the intake step: checks the role, the referral source and the intake form,
 * records the form's properties as case fields, runs the intake effects and the step's entry
 * effects, and arms its timers. The new case has revision 1.
 *
 * @example
 * const r = openCase(k, { caseId: 'c-1', referralSource: 'school', payload: { childAge: 9 },
 *   actor: { id: 'u-1', role: 'teacher' }, now: '2027-01-04T09:00:00.000Z' });
 * if (r.ok) r.state.step; // the config's intake step
 */
export function openCase(k: CompiledKommune, input: OpenCaseInput): StepResult {
  const { config } = k;
  const { actor, now } = input;
  instant(now, 'now');
  if (input.selfReferral === true) return openSelfReferral(k, input);
  if (!config.intake.roles.includes(actor.role)) {
    return reject(
      'ROLE_NOT_ALLOWED',
      `role "${actor.role}" may not open cases; allowed: ${config.intake.roles.join(', ')}`,
      `Rollen «${roleTitle(config, actor.role)}» kan ikke opprette saker. Det kan: ${roleTitles(config, config.intake.roles)}.`,
      [],
    );
  }
  if (!Object.hasOwn(config.referralSources, input.referralSource)) {
    const known = Object.keys(config.referralSources).join(', ');
    return reject(
      'REFERRAL_SOURCE_UNKNOWN',
      `unknown referral source "${input.referralSource}"`,
      `Henvisningskilden «${input.referralSource}» er ukjent.`,
      [{ path: '', message: `known sources: ${known}`, nb: `Kjente kilder: ${known}.` }],
    );
  }
  const checked = checkPayload(k.validators.intake, input.payload);
  if (!checked.ok)
    return reject(
      'PAYLOAD_INVALID',
      'the intake form is not valid',
      'Skjemaet for ny sak er ikke riktig utfylt.',
      checked.details,
    );
  const payload = checked.payload;
  const givers = checkConsentGivers(config, config.intake.effects, payload, payload, actor);
  if (givers) return { ok: false, rejection: givers };

  return openIn(k, input, payload, {
    stepId: config.intake.step,
    effects: config.intake.effects,
    team: [],
  });
}

/** The answers of a family's own request: question id → option id, and the chosen age band. */
const SELF_REFERRAL_ID = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const SELF_REFERRAL_MAX_ANSWERS = 100;

function openSelfReferral(k: CompiledKommune, input: OpenCaseInput): StepResult {
  const { config } = k;
  const { actor } = input;
  const self = config.selfReferral;
  const role = Object.hasOwn(config.roles, actor.role) ? config.roles[actor.role] : undefined;
  if (!self || role?.family !== true || role.consentsAs === undefined) {
    return reject(
      'ROLE_NOT_ALLOWED',
      self
        ? `role "${actor.role}" is not a family role that may ask for contact`
        : `kommune "${config.id}" takes no requests from families themselves`,
      self
        ? `Rollen «${roleTitle(config, actor.role)}» kan ikke be om kontakt på vegne av familien.`
        : 'Kommunen tar ikke imot henvendelser direkte fra familier her.',
      [],
    );
  }
  if (input.referralSource !== self.referralSource) {
    return reject(
      'REFERRAL_SOURCE_UNKNOWN',
      `a family's own request has referral source "${self.referralSource}"`,
      `En henvendelse fra familien selv har henvisningskilden «${self.referralSource}».`,
      [],
    );
  }
  const payload = input.payload as Record<string, unknown> | undefined;
  const answers = payload?.answers as Record<string, unknown> | undefined;
  // A young person asking for themselves brings their age from sign-in (never a parent: their
  // age says nothing about the child's).
  const age = payload?.age;
  const youth = role.consentsAs === 'youth';
  const shapeOk =
    typeof payload === 'object' &&
    payload !== null &&
    !Array.isArray(payload) &&
    Object.keys(payload).every(
      (key) => key === 'answers' || key === 'ageBand' || (key === 'age' && youth),
    ) &&
    (age === undefined ||
      (Number.isInteger(age) && (age as number) >= 0 && (age as number) < 18)) &&
    (payload.ageBand === undefined ||
      (typeof payload.ageBand === 'string' && SELF_REFERRAL_ID.test(payload.ageBand))) &&
    typeof answers === 'object' &&
    answers !== null &&
    !Array.isArray(answers) &&
    Object.keys(answers).length <= SELF_REFERRAL_MAX_ANSWERS &&
    Object.entries(answers).every(
      ([q, a]) => SELF_REFERRAL_ID.test(q) && typeof a === 'string' && SELF_REFERRAL_ID.test(a),
    );
  if (!shapeOk) {
    return reject(
      'PAYLOAD_INVALID',
      "a family's own request carries { answers: { question id: option id }, ageBand? }",
      'Svarene i henvendelsen har feil form.',
      [],
    );
  }
  const minAge = self.youthMinAge ?? DEFAULT_SELF_REFERRAL_YOUTH_AGE;
  if (typeof age === 'number' && age < minAge) {
    return reject(
      'ROLE_NOT_ALLOWED',
      `a young person may ask for themselves from age ${minAge}`,
      `Du må være minst ${minAge} år for å be om kontakt selv.`,
      [],
    );
  }
  const { age: _age, ...rest } = payload as Record<string, unknown>;
  // The youth's own age is the case's age: recorded where the consent types read it, so the
  // young person can consent themselves (from the consent type's youthMinAge).
  const data: Record<string, unknown> = { ...rest };
  if (typeof age === 'number')
    for (const def of Object.values(config.consentTypes ?? {}))
      if (def.ageField !== undefined) data[def.ageField] = age;
  return openIn(k, input, data, {
    stepId: self.step,
    // Messages that a family's request waits (e.g. to the leader: it has no holder yet).
    effects: self.effects,
    // The asker is on the case's team from the start: that is what lets a family role see it.
    team: [{ id: actor.id, role: actor.role }],
  });
}

/**
 * The machine whose first step is `stepId`: the kommune's own for the intake step, and for
 * another (the self-referral step) one compiled once per compiled config. Only its first entry
 * differs; every later step of the case runs on `k.machine`.
 */
const startingIn = new WeakMap<CompiledKommune, Map<string, CaseMachine>>();
function machineStartingIn(k: CompiledKommune, stepId: string): CaseMachine {
  if (stepId === k.config.intake.step) return k.machine;
  let byStep = startingIn.get(k);
  if (!byStep) startingIn.set(k, (byStep = new Map()));
  let machine = byStep.get(stepId);
  if (!machine) byStep.set(stepId, (machine = compileMachine(k.config, stepId)));
  return machine;
}

/** Opens the case in `stepId`, after the intake's (or the self-referral's) own checks. */
function openIn(
  k: CompiledKommune,
  input: OpenCaseInput,
  payload: Record<string, unknown>,
  start: { stepId: string; effects: Effect[] | undefined; team: CaseState['team'] },
): StepResult {
  const { config } = k;
  const { actor, now } = input;
  const { stepId } = start;
  const step = stepOf(config, stepId);
  const people = checkPeople([], [...(start.effects ?? []), ...(step.onEnter ?? [])], payload);
  if (people) return people;
  const team = teamChoiceRejection(
    config,
    [...(start.effects ?? []), ...(step.onEnter ?? [])],
    payload,
  );
  if (team) return { ok: false, rejection: team };
  let state: CaseState = {
    caseId: input.caseId,
    kommune: config.id,
    configVersion: k.version,
    referralSource: input.referralSource,
    step: stepId,
    level: step.level,
    status: 'open',
    holder: actor.role === step.holderRole ? { id: actor.id, role: actor.role, since: now } : null,
    team: start.team,
    data: { ...payload },
    consents: {},
    actionPoints: [],
    timers: [],
    overdue: false,
    escalatedTo: [],
    openedAt: now,
    stepEnteredAt: now,
    lastActivityAt: now,
    path: [],
    revision: 0,
  };
  state = applyStateEffects(config, state, start.effects, {
    payload,
    now,
    holderStep: stepId,
    actor,
  });
  const missing = missingConsents(state.consents, step.requiresConsent, now);
  if (missing.length > 0) return consentMissing(config, missing, inStep(step));

  const [snapshot, actions] = enterFirstStep(machineStartingIn(k, stepId), {
    state,
    payload,
    now,
    actor,
  });
  const entered = snapshot.context;
  return {
    ok: true,
    state: { ...entered, timers: timersOnEntry(config, entered, now), revision: 1 },
    effects: [...sideEffectsOf(start.effects, EngineEvents.intake), ...sideEffectsFrom(actions)],
    transition: { from: null, to: stepId, event: EngineEvents.intake },
  };
}

/**
 * Applies a coordinator's (or the engine's) event. Checked in this order: known event, open
 * case, handled in this step, role, who among the role (holder, team), payload form, the
 * event's consent, the gates, and the consent the target step requires (after the
 * transition's own consent effects).
 *
 * @example
 * const r = applyEvent(k, state, { type: 'recordConsent', payload: { givenBy: 'parent' },
 *   actor: { id: 'u-1', role: 'teacher' } }, '2027-01-10T10:00:00.000Z');
 * if (!r.ok) console.log(r.rejection.code, r.rejection.message);
 */
export function applyEvent(
  k: CompiledKommune,
  state: CaseState,
  event: CaseEvent,
  now: string,
): StepResult {
  instant(now, 'now');
  const result = step(k, state, event, now);
  if (!result.ok) return result;
  const left = leaveWithoutConsent(k, result.state, now);
  if (!left.ok) return left;
  // A state `step` made in this call, so numbered in place rather than copied once more.
  left.state.revision = state.revision + 1;
  return {
    ok: true,
    state: left.state,
    effects: [...result.effects, ...left.effects],
    transition: { ...result.transition, to: left.state.step },
  };
}

/**
 * A case never sits in a step that requires a consent it has lost: while it does and the
 * consent type names a `whenLost` event, the engine sends that event (validation makes each
 * such step handle it with a way out). One round per consent type at most.
 */
function leaveWithoutConsent(k: CompiledKommune, state: CaseState, now: string): StepResult {
  const { config } = k;
  let current = state;
  const effects: SideEffect[] = [];
  let event: EventId | null = null;
  for (let round = 0; round <= Object.keys(config.consentTypes ?? {}).length; round++) {
    if (current.status !== 'open') break;
    const required = config.steps[current.step]?.requiresConsent;
    const lost = missingConsents(current.consents, required, now).find(
      (c) => config.consentTypes?.[c]?.whenLost !== undefined,
    );
    if (lost === undefined) break;
    event = config.consentTypes![lost]!.whenLost!;
    const sent = step(k, current, { type: event, actor: ENGINE_ACTOR }, now);
    if (!sent.ok) {
      return reject(
        sent.rejection.code,
        `consent "${lost}" is lost, and "${event}" could not take the case out of step "${current.step}": ${sent.rejection.message}`,
        `Samtykket «${consentTitles(config, [lost])}» mangler, og «${eventTitle(config, event)}» kunne ikke flytte saken ut av steget «${stepTitle(config, current.step)}»: ${sent.rejection.nb}`,
        sent.rejection.details,
      );
    }
    current = sent.state;
    effects.push(...sent.effects);
  }
  return {
    ok: true,
    state: current,
    effects,
    transition: { from: state.step, to: current.step, event: event ?? '' },
  };
}

/**
 * Fires an armed timer: runs its expiry effects (state effects, side effects, then any `send`,
 * which the engine sends as `{ id: 'engine', role: 'system' }`), disarms it and, for a recurring
 * timer, arms the next occurrence. If a sent event is rejected, so is the firing: that is a
 * config error the validator should have caught, and the workflow should log and drop the timer.
 *
 * @example
 * const due = state.timers[0];
 * const r = fireTimer(k, state, due.key, due.dueAt);
 */
export function fireTimer(
  k: CompiledKommune,
  state: CaseState,
  timerKey: string,
  now: string,
): StepResult {
  const { config } = k;
  const nowMs = instant(now, 'now');
  if (state.status !== 'open') return caseClosed(state);
  const timer = state.timers.find((t) => t.key === timerKey);
  if (!timer) {
    return reject(
      'EVENT_NOT_ALLOWED',
      `timer "${timerKey}" is not armed in this case`,
      `Fristen «${timerKey}» løper ikke i denne saken.`,
      [],
    );
  }
  if (nowMs < instant(timer.dueAt)) {
    return reject(
      'EVENT_NOT_ALLOWED',
      `timer "${timerKey}" is not due until ${timer.dueAt}`,
      `Fristen «${timer.title ?? timerKey}» går ikke ut før ${osloDate(timer.dueAt)}.`,
      [],
    );
  }
  if (timer.kind === 'consentLapse') {
    const rest = { ...state, timers: state.timers.filter((t) => t.key !== timer.key) };
    const left = leaveWithoutConsent(k, rest, now);
    if (!left.ok) return left;
    return {
      ok: true,
      state: { ...left.state, revision: state.revision + 1 },
      effects: left.effects,
      transition: { from: state.step, to: left.state.step, event: left.transition.event },
    };
  }
  const def = (config.steps[timer.step]?.timers ?? []).find((t) => t.id === timer.timerId);
  if (!def)
    throw new Error(
      `fireTimer: timer "${timer.timerId}" is not in step "${timer.step}" of "${config.id}"`,
    );

  const reason = `timer ${def.id} in step ${timer.step}`;
  const afterEffects = applyStateEffects(config, state, def.onExpiry, {
    payload: {},
    now,
    holderStep: state.step,
  });
  let current: CaseState = {
    ...afterEffects,
    timers: refreshTimers(config, state, afterEffects, now, { activity: false, fired: timer }),
  };
  const effects: SideEffect[] = sideEffectsOf(def.onExpiry, reason);
  let event: EventId = `${EngineEvents.timerPrefix}${def.id}`;
  for (const effect of def.onExpiry) {
    if (effect.type !== 'send' || current.status !== 'open') continue;
    const sent = step(k, current, { type: effect.event, actor: ENGINE_ACTOR }, now);
    if (!sent.ok) {
      return reject(
        sent.rejection.code,
        `${reason} could not send "${effect.event}": ${sent.rejection.message}`,
        `Fristen «${def.title ?? def.id}» i steget «${stepTitle(config, timer.step)}» kunne ikke sende «${eventTitle(config, effect.event)}»: ${sent.rejection.nb}`,
        sent.rejection.details,
      );
    }
    current = sent.state;
    effects.push(...sent.effects);
    event = effect.event;
  }
  const left = leaveWithoutConsent(k, current, now);
  if (!left.ok) return left;
  current = left.state;
  effects.push(...left.effects);
  // A state made in this call (above, or by `step`), so numbered in place, not copied again.
  current.revision = state.revision + 1;
  return {
    ok: true,
    state: current,
    effects,
    transition: { from: state.step, to: current.step, event },
  };
}

/** How `reopenRefusal` words its answers for who is asking: staff who reopen, or the family. */
export interface ReopenAsker {
  /** Refuses the actor's role, checked right after the kommune allows reopening at all. */
  role(reopen: ReopenDef): StepResult | undefined;
  stillOpen: string;
  /** Dates as the family reads them (`dd.mm.yyyy`, Oslo). */
  windowPassed(closedOn: string, untilOn: string): string;
}

/**
 * Whether a case may be reopened (or asked to be) now: the kommune has a short way back, the
 * actor's role may use it, the case is closed, and the window after closing has not passed.
 * The one place these rules live, for the reopening and the family's request alike.
 */
export function reopenRefusal(
  config: KommuneConfig,
  state: CaseState,
  now: string,
  asker: ReopenAsker,
): { refused: StepResult } | { reopen: ReopenDef } {
  const nowMs = instant(now, 'now');
  const reopen = config.reopen;
  if (!reopen)
    return {
      refused: reject(
        'REOPEN_NOT_ALLOWED',
        `${config.name} has no short way back for closed cases`,
        `${config.name} har ingen kort vei tilbake for avsluttede saker.`,
        [],
      ),
    };
  const role = asker.role(reopen);
  if (role) return { refused: role };
  if (state.status === 'open' || state.closedAt === undefined)
    return {
      refused: reject('REOPEN_NOT_ALLOWED', 'the case is still open', asker.stillOpen, []),
    };
  const until = addDuration(state.closedAt, reopen.within);
  if (nowMs > instant(until))
    return {
      refused: reject(
        'REOPEN_NOT_ALLOWED',
        `the case closed at ${state.closedAt}; the short way back (${reopen.within}) ended at ${until}`,
        asker.windowPassed(osloDate(state.closedAt), osloDate(until)),
        [],
      ),
    };
  return { reopen };
}

/**
 * The "short way back": a closed case reopens straight into the configured step, if the
 * kommune allows it, the actor's role may, and it is still within the period after closing.
 * The holder stays if their role holds that step, else the reopening person takes the case
 * when their role does.
 *
 * @example
 * const r = reopenCase(k, closed, { actor: { id: 'u-7', role: 'coordinator' },
 *   payload: { nextMeeting: '2027-09-01' }, now: '2027-08-01T08:00:00.000Z' });
 */
export function reopenCase(
  k: CompiledKommune,
  state: CaseState,
  input: ReopenCaseInput,
): StepResult {
  const { config } = k;
  const { actor, now } = input;
  const allowed = reopenRefusal(config, state, now, {
    role: (reopen) =>
      reopen.roles.includes(actor.role)
        ? undefined
        : reject(
            'REOPEN_NOT_ALLOWED',
            `role "${actor.role}" may not reopen cases; allowed: ${reopen.roles.join(', ')}`,
            `Rollen «${roleTitle(config, actor.role)}» kan ikke gjenåpne saker. Det kan: ${roleTitles(config, reopen.roles)}.`,
            [],
          ),
    stillOpen: 'Saken er fortsatt åpen.',
    windowPassed: (closedOn, untilOn) =>
      `Saken ble avsluttet ${closedOn}, og fristen for å gjenåpne den gikk ut ${untilOn}.`,
  });
  if ('refused' in allowed) return allowed.refused;
  const { reopen } = allowed;
  const checked = checkPayload(k.validators.reopen, input.payload);
  if (!checked.ok)
    return reject(
      'PAYLOAD_INVALID',
      'the reopening form is not valid',
      'Skjemaet for gjenåpning er ikke riktig utfylt.',
      checked.details,
    );
  const payload = checked.payload;
  const target = stepOf(config, reopen.step);
  const people = checkPeople(state.team, target.onEnter ?? [], payload);
  if (people) return people;
  const team = teamChoiceRejection(config, target.onEnter ?? [], payload);
  if (team) return { ok: false, rejection: team };
  const missing = missingConsents(state.consents, target.requiresConsent, now);
  if (missing.length > 0) return consentMissing(config, missing, inStep(target));

  const holder =
    state.holder && state.holder.role === target.holderRole
      ? state.holder
      : actor.role === target.holderRole
        ? { id: actor.id, role: actor.role, since: now }
        : state.holder;
  const reopened: CaseState = {
    ...state,
    status: 'open',
    holder,
    data: { ...state.data, ...payload },
    lastActivityAt: now,
  };
  delete reopened.closedAt;
  delete reopened.outcomeReason;
  // The family's request, if any, is answered by the reopening itself.
  delete reopened.reopenRequest;
  // A final state takes no events in XState, so reopening enters the step with the same
  // functions the machine's entry actions use.
  const entered = applyStateEffects(
    config,
    enterStep(config, reopened, reopen.step, now),
    target.onEnter,
    {
      payload,
      now,
      holderStep: reopen.step,
      actor,
    },
  );
  return {
    ok: true,
    state: {
      ...entered,
      timers: timersOnEntry(config, entered, now),
      revision: state.revision + 1,
    },
    effects: sideEffectsOf(target.onEnter, `entered step ${reopen.step}`),
    transition: { from: state.step, to: reopen.step, event: EngineEvents.reopen },
  };
}

/** One accepted event without the revision bump (shared by `applyEvent` and timers' `send`). */
function step(k: CompiledKommune, state: CaseState, event: CaseEvent, now: string): StepResult {
  const { config } = k;
  // Own properties only: "constructor" or "__proto__" is no event of any config.
  const def = Object.hasOwn(config.events, event.type) ? config.events[event.type] : undefined;
  if (!def) {
    return reject(
      'EVENT_UNKNOWN',
      `unknown event "${event.type}"`,
      `Hendelsen «${event.type}» finnes ikke.`,
      [],
      { allowed: allowedEventTypes(config, state, event.actor) },
    );
  }
  if (state.status !== 'open') return caseClosed(state);
  const current = stepOf(config, state.step);
  const gates = gatesOf(current, event.type);
  if (gates.length === 0) {
    return reject(
      'EVENT_NOT_ALLOWED',
      `"${def.title}" cannot be sent in step "${current.title}"`,
      `Hendelsen «${def.title}» kan ikke sendes i steget «${current.title}».`,
      [],
      {
        allowed: allowedEventTypes(config, state, event.actor),
      },
    );
  }
  const isEngine = event.actor.role === SYSTEM_ROLE;
  if (!isEngine && !def.roles.includes(event.actor.role)) {
    return reject(
      'ROLE_NOT_ALLOWED',
      `role "${event.actor.role}" may not send "${def.title}"`,
      `Rollen «${roleTitle(config, event.actor.role)}» kan ikke sende «${def.title}».`,
      [],
      {
        allowed: allowedEventTypes(config, state, event.actor),
      },
    );
  }
  const who = actedBy(config, state.step, event.type);
  if (!mayAct(who, state, event.actor)) {
    return reject(
      'ACTOR_NOT_ALLOWED',
      `"${def.title}" may be sent in step "${current.title}" only by ${who === 'holder' ? "the case's holder" : "the case's holder or a person on its team"}`,
      `«${def.title}» kan i steget «${current.title}» bare sendes av ${who === 'holder' ? 'sakens stafettholder' : 'sakens stafettholder eller noen i sakens team'}.`,
      [],
      { allowed: allowedEventTypes(config, state, event.actor) },
    );
  }
  const validator = k.validators.events.get(event.type);
  if (!validator) throw new Error(`no payload validator for event "${event.type}"`);
  const checked = checkPayload(validator, event.payload);
  if (!checked.ok)
    return reject(
      'PAYLOAD_INVALID',
      `the form for "${def.title}" is not valid`,
      `Skjemaet for «${def.title}» er ikke riktig utfylt.`,
      checked.details,
    );
  const payload = checked.payload;
  const eventMissing = missingConsents(state.consents, def.requiresConsent, now);
  if (eventMissing.length > 0)
    return consentMissing(config, eventMissing, { en: `"${def.title}"`, nb: `«${def.title}»` });

  const rules = new GateRules(config, state, payload, now, event.actor);
  const gate = gates.find((g) => g.when === undefined || rules.holds(g.when));
  if (!gate) {
    return reject(
      'NO_GATE_MATCHED',
      `none of the ${gates.length} gate(s) of "${def.title}" in step "${current.title}" holds`,
      `Ingen av vilkårene for «${def.title}» i steget «${current.title}» er oppfylt.`,
      gates.map((g, i) => ({
        path: '',
        message: `gate ${i + 1}${g.target ? ` → ${g.target}` : ''}: ${g.description ?? 'its rule does not hold'}`,
        nb: `Vilkår ${i + 1}${g.target ? ` (til «${stepTitle(config, g.target)}»)` : ''}: ${g.description ?? 'regelen er ikke oppfylt'}`,
      })),
    );
  }
  const givers = checkConsentGivers(config, gate.effects, payload, state.data, event.actor);
  if (givers) return { ok: false, rejection: givers };
  const targetId = gate.target ?? state.step;
  // Re-entering the step it is in starts it over, as entering any step does.
  const entering = targetId !== state.step || gate.reenter === true;
  const onEnter = entering ? stepOf(config, targetId).onEnter : undefined;
  // Built only when both parts have effects: most transitions have one part or none.
  const applied: readonly Effect[] =
    onEnter && onEnter.length > 0
      ? gate.effects && gate.effects.length > 0
        ? [...gate.effects, ...onEnter]
        : onEnter
      : (gate.effects ?? []);
  const people = checkPeople(state.team, applied, payload);
  if (people) return people;
  const team = teamChoiceRejection(config, applied, payload);
  if (team) return { ok: false, rejection: team };
  const stuck = checkExtensions(config, state, gate.effects);
  if (stuck) return stuck;
  const target = stepOf(config, targetId);
  // A step that needs no consent cannot be refused for one: skip applying the gate's effects early.
  if (entering && (target.requiresConsent?.length ?? 0) > 0) {
    const consentsAfter = applyStateEffects(config, state, consentEffects(gate.effects), {
      payload,
      now,
      holderStep: targetId,
      actor: event.actor,
    }).consents;
    const missing = missingConsents(consentsAfter, target.requiresConsent, now);
    if (missing.length > 0) return consentMissing(config, missing, inStep(target));
  }

  const machineEvent: MachineEvent = {
    type: event.type,
    payload,
    actor: event.actor,
    now,
    rules,
  };
  const [next, actions] = stepMachine(k.machine, state.step, state, machineEvent);
  if (next.value !== targetId) {
    throw new Error(
      `machine and engine disagree: "${event.type}" in "${state.step}" went to "${String(next.value)}", expected "${targetId}"`,
    );
  }
  // Finished in place: a context an assign made is this call's own (xstate copies the case on
  // every assign); only a transition without one hands back the caller's case, copied here.
  const after: CaseState = next.context === state ? { ...state } : next.context;
  // People's events count as activity; the engine's own do not, or inactivity could never fire.
  if (!isEngine) after.lastActivityAt = now;
  after.timers = entering
    ? timersOnEntry(config, after, now)
    : refreshTimers(config, state, after, now, { activity: !isEngine });
  return {
    ok: true,
    state: after,
    effects: sideEffectsFrom(actions),
    transition: { from: state.step, to: targetId, event: event.type },
  };
}

/**
 * What each gate rule gave on the case before the event, for the engine and the machine's
 * guards alike (see `MachineEvent.rules`). The facts are built only when a rule is read: most
 * gates have none.
 */
class GateRules {
  private facts?: RuleFacts;
  private readonly held = new Map<Rule, boolean>();

  constructor(
    private readonly config: KommuneConfig,
    private readonly state: CaseState,
    private readonly payload: Record<string, unknown>,
    private readonly now: string,
    private readonly actor: Actor,
  ) {}

  holds(rule: Rule): boolean {
    let result = this.held.get(rule);
    if (result === undefined) {
      this.facts ??= ruleFacts(
        this.state,
        this.payload,
        this.now,
        this.actor,
        this.config.computed,
      );
      this.held.set(rule, (result = ruleHolds(rule, this.facts)));
    }
    return result;
  }
}

function gatesOf(step: StepDef, eventType: EventId): Transition[] {
  const on = step.on && Object.hasOwn(step.on, eventType) ? step.on[eventType] : undefined;
  if (on === undefined) return [];
  return Array.isArray(on) ? on : [on];
}

/** A step as the engine runs it: with the shared events it handles (config/shared-events.ts). */
function stepOf(config: KommuneConfig, stepId: string): StepDef {
  const step = withSharedEvents(config).steps[stepId];
  if (!step) throw new Error(`step "${stepId}" is not in config "${config.id}"`);
  return step;
}

function consentEffects(effects: readonly Effect[] | undefined): Effect[] {
  return (effects ?? []).filter((e) => e.type === 'giveConsent' || e.type === 'withdrawConsent');
}

/**
 * Person ids the payload hands to the engine — a new holder, team members — must be person ids
 * (they end up in state, in pseudonyms and on screens), and the team stays within its cap.
 * Checked before any effect runs, so a refused command changes nothing.
 */
function checkPeople(
  team: readonly TeamMember[],
  effects: readonly Effect[],
  payload: Record<string, unknown>,
): StepResult | null {
  // Built only when a member is added: most commands add nobody.
  let members: Set<string> | undefined;
  for (const effect of effects) {
    if (effect.type === 'handover') {
      const id = payload[effect.holderField];
      // No person named is no handover (an optional field), as the effect itself has it.
      if (id === undefined || id === null || id === '') continue;
      if (!isPersonId(id)) return personIdInvalid(`/${effect.holderField}`, effect.holderField);
    } else if (effect.type === 'addTeamMember') {
      const value = payload[effect.from];
      const items = Array.isArray(value) ? value : [value];
      members ??= new Set(team.map((m) => m.id));
      for (const [i, item] of items.entries()) {
        if (typeof item !== 'object' || item === null || !('id' in item)) continue;
        const at = Array.isArray(value) ? `/${effect.from}/${i}/id` : `/${effect.from}/id`;
        if (!isPersonId(item.id)) return personIdInvalid(at, `${effect.from}[].id`);
        members.add(item.id);
      }
      if (members.size > MAX_TEAM_MEMBERS) {
        return reject(
          'PAYLOAD_INVALID',
          `a case's team has at most ${MAX_TEAM_MEMBERS} people`,
          `En sak kan ha høyst ${MAX_TEAM_MEMBERS} personer i teamet.`,
          [
            {
              path: `/${effect.from}`,
              message: `the team would have ${members.size} people; the most is ${MAX_TEAM_MEMBERS}`,
              nb: `Teamet ville fått ${members.size} personer; høyst ${MAX_TEAM_MEMBERS} er tillatt.`,
            },
          ],
        );
      }
    }
  }
  return null;
}

/** An extension that cannot move its timer any later is refused, so the case's log never claims one. */
function checkExtensions(
  config: KommuneConfig,
  state: CaseState,
  effects: readonly Effect[] | undefined,
): StepResult | null {
  for (const effect of effects ?? []) {
    if (effect.type !== 'extendTimer') continue;
    if (extendedDue(config, state, effect)) continue;
    const timer = state.timers.find((t) => t.step === state.step && t.timerId === effect.timer);
    return reject(
      'EVENT_NOT_ALLOWED',
      timer
        ? `"${timer.title ?? effect.timer}" is already as late as the config allows (${timer.dueAt})`
        : `"${effect.timer}" is not running in this case`,
      timer
        ? `Fristen «${timer.title ?? effect.timer}» er allerede forlenget så langt regelverket tillater (${osloDate(timer.dueAt)}).`
        : `Fristen «${effect.timer}» løper ikke i denne saken.`,
      [],
    );
  }
  return null;
}

function personIdInvalid(path: string, field: string): StepResult {
  return reject(
    'PERSON_ID_INVALID',
    `"${field}" must name a person by their user id`,
    `«${field}» må angi en person med brukerident.`,
    [
      {
        path,
        message: `not a user id: 1–64 of A–Z a–z 0–9 . _ @ : - starting with a letter or digit (${PERSON_ID_PATTERN.source})`,
        nb: 'Ikke en gyldig brukerident: 1–64 tegn av A–Z a–z 0–9 . _ @ : -, og første tegn må være en bokstav eller et siffer.',
      },
    ],
  );
}

function sideEffectsFrom(actions: ReadonlyArray<{ type: string; params?: unknown }>): SideEffect[] {
  return actions
    .filter((a) => a.type === SIDE_EFFECT_ACTION)
    .map((a) => (a.params as { effect: SideEffect }).effect);
}

function caseClosed(state: CaseState): StepResult {
  return reject(
    'CASE_CLOSED',
    `the case is ${state.status}${state.closedAt ? ` since ${state.closedAt}` : ''}`,
    `Saken er avsluttet${state.closedAt ? ` (${osloDate(state.closedAt)})` : ''}.`,
    [],
  );
}

// Bokmål messages name things by the config's titles, which the person acting sees on screen.
export function roleTitle(config: KommuneConfig, role: string): string {
  return (Object.hasOwn(config.roles, role) ? config.roles[role]?.title : undefined) ?? role;
}

export function roleTitles(config: KommuneConfig, roles: readonly string[]): string {
  return roles.map((r) => roleTitle(config, r)).join(', ');
}

function stepTitle(config: KommuneConfig, stepId: string): string {
  return config.steps[stepId]?.title ?? stepId;
}

function eventTitle(config: KommuneConfig, eventId: string): string {
  return (
    (Object.hasOwn(config.events, eventId) ? config.events[eventId]?.title : undefined) ?? eventId
  );
}

/** An instant as the Oslo date a caseworker reads: `31.12.2027`. */
export function osloDate(iso: string): string {
  const d = toOsloLocal(instant(iso));
  return `${String(d.day).padStart(2, '0')}.${String(d.month).padStart(2, '0')}.${d.year}`;
}

/** What needs the consent, in both languages: a step or an event. */
interface Needs {
  en: string;
  nb: string;
}

function inStep(step: StepDef): Needs {
  return { en: `step "${step.title}"`, nb: `Steget «${step.title}»` };
}

function consentMissing(config: KommuneConfig, missing: string[], what: Needs): StepResult {
  return reject(
    'CONSENT_MISSING',
    `${what.en} requires consent the case does not hold: ${consentTitles(config, missing)}`,
    `${what.nb} krever samtykke som saken ikke har: ${consentTitles(config, missing)}.`,
    missing.map((type) => ({
      path: '',
      message: `missing, withdrawn or expired consent "${type}"`,
      nb: `Samtykket «${consentTitles(config, [type])}» mangler, er trukket tilbake eller er utløpt.`,
    })),
  );
}

/** Every refusal carries its reason in English (logs) and bokmål (the person who acted). */
export function reject(
  code: RejectionCode,
  message: string,
  nb: string,
  details: Rejection['details'],
  extra?: { allowed: EventId[] },
): StepResult {
  const rejection: Rejection = { code, message, nb, details };
  if (extra) rejection.allowedEvents = extra.allowed;
  return { ok: false, rejection };
}
