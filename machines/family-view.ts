/**
 * What a family member reads about their own case, from the case state and the config's
 * `familyTexts`: where the case is and what happens next, the deadlines and meetings that concern
 * them, who holds the case and how to reach the service, who is on the team (as roles), their
 * consents and the log lines meant for them. Pure: `now` is passed in.
 *
 * Built by allow-list, field by field: nothing of the case reaches the family unless it is named
 * here, so recorded fields, timer ids, form schemas, staff notes, payloads and person ids (other
 * than "this is you") never do.
 *
 * @module
 */
import type {
  ConsentGiver,
  FamilyContact,
  KommuneConfig,
  StepDef,
  Transition,
} from '../config/types';
import { withSharedEvents } from '../config/shared-events';
import { addDuration } from './durations';
import { reopenDecider } from './reopen-request';
import type { ArmedTimer, CaseState, CaseStatus } from './types';

/** The parts of a case the family view reads (the API's snapshot has them too). */
export type FamilyCaseFacts = Pick<
  CaseState,
  'caseId' | 'step' | 'status' | 'holder' | 'team' | 'consents' | 'openedAt'
> & {
  timers: ReadonlyArray<Pick<ArmedTimer, 'timerId' | 'step' | 'dueAt'>>;
  closedAt?: string | null;
  reopenRequest?: { at: string; by: string; declinedAt?: string } | null;
};

/** One line of the case's log as the engine keeps it; only `kind`, `what` and `at` are read. */
export interface LogLine {
  at: string;
  kind: string;
  what: string;
}

export interface FamilyViewInput {
  config: KommuneConfig;
  state: FamilyCaseFacts;
  log: readonly LogLine[];
  viewer: { id: string; role: string };
  /** The events the engine lets this viewer send now. */
  allowedEvents: readonly string[];
  now: string;
}

/** A moment both machine-readable and as the family reads it ("12. mars 2027"). */
export interface FamilyDate {
  at: string;
  text: string;
}

export interface FamilyConsent {
  type: string;
  title: string;
  text: string;
  /** `given` holds now; `withdrawn` and `expired` no longer hold; `missing` never given. */
  state: 'given' | 'withdrawn' | 'expired' | 'missing';
  /** Who gave it, in words ("en forelder", "ungdommen selv"), and how. */
  givenBy?: string;
  givenAt?: FamilyDate;
  expiresAt?: FamilyDate;
  withdrawnAt?: FamilyDate;
  /** The event this viewer sends to give it now (no form to fill in), if any. */
  giveEvent?: string;
  /** The event this viewer sends to withdraw it now, if any. */
  withdrawEvent?: string;
}

export interface FamilyView {
  caseId: string;
  kommune: string;
  open: boolean;
  status: CaseStatus;
  step: { title: string; text: string };
  /** Deadlines and meetings that concern the family, soonest first. */
  upcoming: Array<{ label: string; due: FamilyDate }>;
  holder: {
    /** The holder's role, as the config titles it. */
    role: string;
    since: FamilyDate;
    you: boolean;
  } | null;
  /** How to reach the service: the config's contact (there is no staff directory yet). */
  contact: FamilyContact | null;
  team: Array<{ role: string; you: boolean }>;
  consents: FamilyConsent[];
  log: Array<{ at: FamilyDate; text: string }>;
  /** A closed case within the short way back: until when the family may ask to reopen it. */
  reopenUntil: FamilyDate | null;
  /**
   * The family asked to reopen the closed case: `sent` waits for `decider` (a role title, the last
   * holder's), `declined` was answered no (the family may ask again within the window).
   */
  reopenRequest: {
    state: 'sent' | 'declined';
    at: FamilyDate;
    declinedAt?: FamilyDate;
    decider: string;
  } | null;
  /** Whether this viewer may ask to reopen now: within the window, and no request waits. */
  mayRequestReopen: boolean;
}

const dateFormat = new Intl.DateTimeFormat('nb-NO', {
  timeZone: 'Europe/Oslo',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/** A UTC instant as an Oslo date in Norwegian: "12. mars 2027". */
export function norwegianDate(iso: string): string {
  return dateFormat.format(new Date(iso));
}

const when = (iso: string): FamilyDate => ({ at: iso, text: norwegianDate(iso) });

const GIVER_WORDS: Record<ConsentGiver, string> = {
  parent: 'en forelder',
  youth: 'ungdommen selv',
};

/** The effects of the step's handler for `event` (every gate branch). */
function handlerEffects(step: StepDef | undefined, event: string) {
  const handler = step?.on && Object.hasOwn(step.on, event) ? step.on[event] : undefined;
  if (!handler) return [];
  const list: Transition[] = Array.isArray(handler) ? handler : [handler];
  return list.flatMap((t) => t.effects ?? []);
}

/** An event the viewer may send now that gives (or withdraws) `consent` and asks for no form. */
function consentEvent(
  input: FamilyViewInput,
  step: StepDef | undefined,
  effect: 'giveConsent' | 'withdrawConsent',
  consent: string,
): string | undefined {
  return input.allowedEvents.find((event) => {
    const def = Object.hasOwn(input.config.events, event) ? input.config.events[event] : undefined;
    const required = (def?.payload as { required?: unknown[] } | undefined)?.required;
    if (Array.isArray(required) && required.length > 0) return false;
    return handlerEffects(step, event).some((e) => e.type === effect && e.consent === consent);
  });
}

export function familyView(input: FamilyViewInput): FamilyView {
  const { config, state, viewer, now } = input;
  const texts = config.familyTexts ?? {};
  const stepDef = Object.hasOwn(config.steps, state.step) ? config.steps[state.step] : undefined;
  const expanded = withSharedEvents(config).steps[state.step];
  const roleTitle = (role: string | undefined): string =>
    role && Object.hasOwn(config.roles, role) ? config.roles[role].title : 'Deltaker';
  const open = state.status === 'open';

  const stepText = texts.steps?.[state.step];
  const step = stepText
    ? { title: stepText.title, text: stepText.text }
    : // Without a family text, the staff title is still plain words; its description is not.
      { title: stepDef?.title ?? 'Saken', text: '' };

  const timerLabels = texts.timers?.[state.step] ?? {};
  const upcoming = open
    ? [...state.timers]
        .filter((t) => t.step === state.step && Object.hasOwn(timerLabels, t.timerId))
        .filter((t) => t.dueAt >= now)
        .sort((a, b) => a.dueAt.localeCompare(b.dueAt))
        .map((t) => ({ label: timerLabels[t.timerId], due: when(t.dueAt) }))
    : [];

  const consents: FamilyConsent[] = Object.entries(config.consentTypes ?? {}).map(([type, def]) => {
    const words = texts.consents?.[type];
    const c = Object.hasOwn(state.consents, type) ? state.consents[type] : undefined;
    const base: FamilyConsent = {
      type,
      title: words?.title ?? def.title,
      text: words?.text ?? '',
      state: 'missing',
    };
    if (c) {
      base.state = c.withdrawnAt
        ? 'withdrawn'
        : c.expiresAt && c.expiresAt <= now
          ? 'expired'
          : c.awaiting && c.awaiting.length > 0
            ? 'missing'
            : 'given';
      base.givenBy = `${GIVER_WORDS[c.givenBy] ?? 'familien'}${c.via === 'staff' ? ', registrert av kommunen' : ''}`;
      base.givenAt = when(c.givenAt);
      if (c.expiresAt) base.expiresAt = when(c.expiresAt);
      if (c.withdrawnAt) base.withdrawnAt = when(c.withdrawnAt);
    }
    if (open) {
      const give = consentEvent(input, expanded, 'giveConsent', type);
      const withdraw = consentEvent(input, expanded, 'withdrawConsent', type);
      if (give && base.state !== 'given') base.giveEvent = give;
      if (withdraw && base.state === 'given') base.withdrawEvent = withdraw;
    }
    return base;
  });

  const log = input.log.flatMap((line) => {
    const text =
      line.kind === 'opened'
        ? texts.opened
        : line.kind === 'event' && texts.events && Object.hasOwn(texts.events, line.what)
          ? texts.events[line.what]
          : undefined;
    return text ? [{ at: when(line.at), text }] : [];
  });

  let reopenUntil: FamilyDate | null = null;
  if (!open && state.closedAt && config.reopen) {
    const until = addDuration(state.closedAt, config.reopen.within);
    if (until > now) reopenUntil = when(until);
  }

  const asked = !open ? state.reopenRequest : null;
  const reopenRequest: FamilyView['reopenRequest'] = asked
    ? {
        state: asked.declinedAt ? 'declined' : 'sent',
        at: when(asked.at),
        ...(asked.declinedAt ? { declinedAt: when(asked.declinedAt) } : {}),
        decider: reopenDecider(config, state),
      }
    : null;
  const family = Object.hasOwn(config.roles, viewer.role) && config.roles[viewer.role].family;

  return {
    caseId: state.caseId,
    kommune: config.name,
    open,
    status: state.status,
    step,
    upcoming,
    holder: state.holder
      ? {
          role: roleTitle(state.holder.role),
          since: when(state.holder.since),
          you: state.holder.id === viewer.id,
        }
      : null,
    contact: texts.contact ?? null,
    team: state.team.map((m) => ({ role: roleTitle(m.role), you: m.id === viewer.id })),
    consents,
    log: log.reverse(),
    reopenUntil,
    reopenRequest,
    mayRequestReopen: reopenUntil !== null && family === true && reopenRequest?.state !== 'sent',
  };
}
