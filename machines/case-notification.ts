/**
 * The message a machine's side effect becomes: template filled with non-personal case facts,
 * recipient and reason. The workflow hands it to the `deliverNotification` activity, which fills
 * the delivery variables with `renderForDelivery` (machines/message-render.ts) before sending.
 *
 * @module
 */
import type { KommuneConfig } from '../config/types';
import { caseFacts, deliveryVariablesIn, fillCaseVariables } from './message-render';
import { recipientsFor, type Recipient } from './recipients';
import { REOPEN_REQUEST_TEMPLATE } from './reopen-request';
import { addDuration } from './durations';
import type { CaseState, SideEffect } from './types';

export const NotificationKinds = ['notify', 'escalate', 'feedbackLink', 'survey'] as const;
export type NotificationKind = (typeof NotificationKinds)[number];

/** One message to deliver. `key` makes delivery idempotent: the same key is delivered once. */
export interface Notification {
  key: string;
  kommune: string;
  caseId: string;
  kind: NotificationKind;
  /**
   * Recipient: a role of the kommune (the people holding it on the case), `holder` (the case's
   * stafettholder) or `family` (the case's family members).
   */
  to: string;
  /** The holder's pseudonymous id when `to` is `holder`. */
  toId?: string;
  template: string;
  /**
   * Title and body with the workflow variables filled in. Delivery variables (`{{lenke}}`,
   * `{{stafettholder}}`) are still placeholders: the delivery fills them with
   * `renderForDelivery`, which throws rather than send one.
   */
  title: string;
  body: string;
  /**
   * The case's holder's pseudonymous id when the message names the holder (`{{stafettholder}}`),
   * for the delivery to look the name up in the staff directory. Absent when the case has none.
   */
  holderId?: string;
  reason: string;
  /** The anonymous feedback form or survey link, for `feedbackLink` / `survey`. */
  link?: string;
  /**
   * What the link's single-use token is issued for (`feedbackLink` / `survey` naming a survey):
   * nothing here leads to the case once the token is stored (store/feedback-store.ts).
   */
  feedback?: FeedbackLinkFacts;
  createdAt: string;
  /**
   * The people `to` names on the case when the message was made (family members with their
   * contact details). Absent in messages made before recipients were resolved.
   */
  recipients?: Recipient[];
}

export interface FeedbackLinkFacts {
  survey: string;
  /** The step the case closed from (feedback at close) or is in (a survey on a timer). */
  step: string;
  /** Until when the link can be answered: sent time plus the survey's `expiresAfter`. */
  expiresAt: string;
}

/**
 * Texts for the engine's own notifications, used when the config defines no template of that id
 * (a family's request to reopen, machines/reopen-request.ts).
 */
const BUILT_IN_TEMPLATES: Readonly<Record<string, { title: string; body: string }>> = {
  [REOPEN_REQUEST_TEMPLATE]: {
    title: 'Familien ber om å åpne sak {{saksnummer}} igjen',
    body: 'Et familiemedlem i sak {{saksnummer}} ber om at saken åpnes igjen. Du hadde saken sist og avgjør om den skal gjenåpnes eller om forespørselen skal avslås.',
  },
};

function builtInTemplate(id: string) {
  return Object.hasOwn(BUILT_IN_TEMPLATES, id) ? BUILT_IN_TEMPLATES[id] : undefined;
}

export interface NotificationContext {
  config: KommuneConfig;
  kommune: string;
  caseId: string;
  /** Makes delivery idempotent: the same key is delivered once. */
  key: string;
  now: string;
  /** Base of the anonymous feedback links sent to families. */
  feedbackBaseUrl?: string;
  /** A fresh random id for a feedback or survey link; called only for those. */
  linkId: () => string;
}

/**
 * The notification for one side effect of the case in state `s`.
 *
 * @example
 * notificationFor(state, { type: 'notify', role: 'holder', template: 'frist', reason: 'due' }, ctx).toId // the holder's id
 */
export function notificationFor(
  s: CaseState,
  effect: SideEffect,
  ctx: NotificationContext,
): Notification {
  const n = messageFor(s, effect, ctx);
  return { ...n, recipients: recipientsFor(s, ctx.config, n.to) };
}

function messageFor(s: CaseState, effect: SideEffect, ctx: NotificationContext): Notification {
  const templates = ctx.config.templates;
  const template =
    templates && Object.hasOwn(templates, effect.template)
      ? templates[effect.template]
      : builtInTemplate(effect.template);
  const facts = caseFacts(ctx.config, s);
  const title = fillCaseVariables(template?.title ?? effect.template, facts);
  const body = fillCaseVariables(template?.body ?? '', facts);
  const namesHolder = deliveryVariablesIn(title, body).includes('stafettholder');
  const base = {
    key: ctx.key,
    kommune: ctx.kommune,
    caseId: ctx.caseId,
    template: effect.template,
    title,
    body,
    ...(namesHolder && s.holder ? { holderId: s.holder.id } : {}),
    createdAt: ctx.now,
  };
  const linkBase = ctx.feedbackBaseUrl ?? '/tilbakemelding';
  const feedbackOf = (survey: string | undefined): FeedbackLinkFacts | undefined => {
    const surveys = ctx.config.surveys;
    const def = survey && surveys && Object.hasOwn(surveys, survey) ? surveys[survey] : undefined;
    if (!survey || !def) return undefined;
    // A final step's onEnter runs as the case closes: the step it closed from is the one before.
    const step = s.closedAt ? (s.path.at(-2) ?? s.step) : s.step;
    return { survey, step, expiresAt: addDuration(ctx.now, def.expiresAfter) };
  };
  switch (effect.type) {
    case 'notify':
      return {
        ...base,
        kind: 'notify',
        to: effect.role,
        toId: effect.role === 'holder' ? s.holder?.id : undefined,
        reason: effect.reason,
      };
    case 'escalate':
      return { ...base, kind: 'escalate', to: effect.role, reason: effect.reason };
    case 'sendFeedbackLink':
      return {
        ...base,
        kind: 'feedbackLink',
        to: 'family',
        reason: 'case closed',
        link: `${linkBase}/${ctx.linkId()}`,
        feedback: feedbackOf(effect.survey),
      };
    case 'sendSurvey':
      return {
        ...base,
        kind: 'survey',
        to: 'family',
        reason: 'yearly survey',
        link: `${linkBase}/${ctx.linkId()}`,
        feedback: feedbackOf(effect.survey),
      };
  }
}
