/**
 * The family's short way back (issue #13): within the reopen window a family member on a closed
 * case asks to reopen it, and the request goes to the last holder, who decides. The holder says
 * yes with the ordinary reopening (`reopenCase`, which clears the request) or no with
 * `declineReopen`. Who may decline is who may reopen (`config.reopen.roles`).
 *
 * At most one open request: asking again while one waits is refused, not repeated, so the holder
 * is told once and the case's log says it once. After a no, the family may ask again.
 *
 * @module
 */
import type { KommuneConfig } from '../config/types';
import { osloDate, reject, reopenRefusal, roleTitle, roleTitles } from './case-engine';
import type { CompiledKommune } from './compile-kommune';
import { EngineEvents } from './engine-names';
import { instant } from './oslo-time';
import type { Actor, CaseState, SideEffect, StepResult } from './types';

/**
 * The notification template the holder gets. A config may define it under `templates` to word it
 * itself; otherwise the built-in text in `case-notification.ts` is used.
 */
export const REOPEN_REQUEST_TEMPLATE = 'reopenRequested';

export interface ReopenRequestInput {
  actor: Actor;
  now: string;
}

/** A request not yet answered: the holder has neither reopened nor declined. */
export function pendingReopenRequest(state: Pick<CaseState, 'reopenRequest'>) {
  const r = state.reopenRequest;
  return r && r.declinedAt === undefined ? r : undefined;
}

/** Who decides on a request, in words the family reads: the last holder's role, else who may reopen. */
export function reopenDecider(config: KommuneConfig, state: Pick<CaseState, 'holder'>): string {
  if (state.holder) return roleTitle(config, state.holder.role);
  return roleTitles(config, config.reopen?.roles ?? []);
}

/**
 * A family member asks to reopen the closed case. Refused outside the window, on an open case,
 * for a role that is not a family role, and while a request already waits.
 *
 * @example
 * const r = requestReopen(k, closed, { actor: { id: 'fam-1', role: 'parent' }, now });
 * if (r.ok) r.state.reopenRequest; // { at: now, by: 'parent' }
 */
export function requestReopen(
  k: CompiledKommune,
  state: CaseState,
  input: ReopenRequestInput,
): StepResult {
  const { config } = k;
  const { actor, now } = input;
  const allowed = reopenRefusal(config, state, now, {
    role: () =>
      Object.hasOwn(config.roles, actor.role) && config.roles[actor.role].family === true
        ? undefined
        : reject(
            'ROLE_NOT_ALLOWED',
            `role "${actor.role}" is not a family role; staff reopen the case themselves`,
            `Rollen «${roleTitle(config, actor.role)}» ber ikke om gjenåpning; den kan gjenåpne saken selv om rollen har lov.`,
            [],
          ),
    stillOpen: 'Saken er fortsatt åpen, så den trenger ikke åpnes igjen.',
    windowPassed: (closedOn, untilOn) =>
      `Saken ble avsluttet ${closedOn}, og fristen for å be om å åpne den igjen gikk ut ${untilOn}. Ta kontakt med kommunen hvis dere trenger hjelp.`,
  });
  if ('refused' in allowed) return allowed.refused;
  const { reopen } = allowed;
  const pending = pendingReopenRequest(state);
  if (pending)
    return reject(
      'REOPEN_NOT_ALLOWED',
      `a request to reopen the case is already waiting (since ${pending.at})`,
      `Dere ba om å åpne saken igjen ${osloDate(pending.at)}. ${reopenDecider(config, state)} avgjør det.`,
      [],
    );
  // To the last holder; a case closed without one goes to every role that may reopen it.
  const reason = 'the family asks to reopen the case';
  const effects: SideEffect[] = state.holder
    ? [{ type: 'notify', role: 'holder', template: REOPEN_REQUEST_TEMPLATE, reason }]
    : reopen.roles.map((r) => ({
        type: 'notify',
        role: r,
        template: REOPEN_REQUEST_TEMPLATE,
        reason,
      }));
  return {
    ok: true,
    state: {
      ...state,
      reopenRequest: { at: now, by: actor.role },
      revision: state.revision + 1,
    },
    effects,
    transition: { from: state.step, to: state.step, event: EngineEvents.reopenRequest },
  };
}

/**
 * The holder (or another who may reopen) says no to the family's waiting request. The case stays
 * closed; the family's page says it was declined.
 *
 * @example
 * const r = declineReopen(k, requested, { actor: { id: 'v-1', role: 'caseworker' }, now });
 */
export function declineReopen(
  k: CompiledKommune,
  state: CaseState,
  input: ReopenRequestInput,
): StepResult {
  const { config } = k;
  const { actor, now } = input;
  instant(now, 'now');
  const reopen = config.reopen;
  if (!reopen || !reopen.roles.includes(actor.role))
    return reject(
      'REOPEN_NOT_ALLOWED',
      `role "${actor.role}" may not decide on reopening; allowed: ${reopen?.roles.join(', ') ?? 'none'}`,
      `Rollen «${roleTitle(config, actor.role)}» kan ikke avgjøre gjenåpning. Det kan: ${roleTitles(config, reopen?.roles ?? [])}.`,
      [],
    );
  const pending = pendingReopenRequest(state);
  if (!pending)
    return reject(
      'REOPEN_NOT_ALLOWED',
      'no request to reopen the case is waiting',
      'Ingen har bedt om å åpne saken igjen, så det er ingenting å avslå.',
      [],
    );
  return {
    ok: true,
    state: {
      ...state,
      reopenRequest: { ...pending, declinedAt: now },
      revision: state.revision + 1,
    },
    effects: [],
    transition: { from: state.step, to: state.step, event: EngineEvents.reopenDecline },
  };
}
