/**
 * The message a machine's side effect becomes: template filled with non-personal case facts,
 * recipient and reason. The workflow hands it to the `deliverNotification` activity.
 *
 * @module
 */
import type { KommuneConfig } from '../config/types';
import { nextDueAt } from './case-queries';
import { REOPEN_REQUEST_TEMPLATE } from './reopen-request';
import type { CaseState, SideEffect } from './types';

export const NotificationKinds = ['notify', 'escalate', 'feedbackLink', 'survey'] as const;
export type NotificationKind = (typeof NotificationKinds)[number];

/** One message to deliver. `key` makes delivery idempotent: the same key is delivered once. */
export interface Notification {
  key: string;
  kommune: string;
  caseId: string;
  kind: NotificationKind;
  /** Recipient: a role of the kommune, or `holder` / `family`. */
  to: string;
  /** The holder's pseudonymous id when `to` is `holder`. */
  toId?: string;
  template: string;
  title: string;
  body: string;
  reason: string;
  /** The anonymous feedback form or survey link, for `feedbackLink` / `survey`. */
  link?: string;
  createdAt: string;
}

/**
 * Fills a template's `{{placeholders}}` with non-personal case facts only (case id, step, level,
 * next due time); an unknown placeholder is left as written.
 *
 * @example
 * renderTemplate('Sak {{caseId}} i {{step}}', state) // 'Sak c-123 i kartlegging'
 */
export function renderTemplate(text: string, s: CaseState): string {
  const facts: Record<string, string> = {
    caseId: s.caseId,
    step: s.step,
    level: String(s.level),
    dueAt: nextDueAt(s) ?? '',
  };
  return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) =>
    Object.hasOwn(facts, name) ? facts[name] : whole,
  );
}

/**
 * Texts for the engine's own notifications, used when the config defines no template of that id
 * (a family's request to reopen, machines/reopen-request.ts).
 */
const BUILT_IN_TEMPLATES: Readonly<Record<string, { title: string; body: string }>> = {
  [REOPEN_REQUEST_TEMPLATE]: {
    title: 'Familien ber om å åpne sak {{caseId}} igjen',
    body: 'Et familiemedlem i sak {{caseId}} ber om at saken åpnes igjen. Du hadde saken sist og avgjør om den skal gjenåpnes eller om forespørselen skal avslås.',
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
  const template = ctx.config.templates?.[effect.template] ?? builtInTemplate(effect.template);
  const base = {
    key: ctx.key,
    kommune: ctx.kommune,
    caseId: ctx.caseId,
    template: effect.template,
    title: renderTemplate(template?.title ?? effect.template, s),
    body: renderTemplate(template?.body ?? '', s),
    createdAt: ctx.now,
  };
  const linkBase = ctx.feedbackBaseUrl ?? '/tilbakemelding';
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
      };
    case 'sendSurvey':
      return {
        ...base,
        kind: 'survey',
        to: 'family',
        reason: 'yearly survey',
        link: `${linkBase}/${ctx.linkId()}`,
      };
  }
}
