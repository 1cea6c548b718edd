/**
 * Tasks the engine gives a case's holder, and what a delivery's outcome says: a message that could
 * not be delivered after its retries becomes a task («Familien kunne ikke nås») rather than a
 * line nobody reads. Pure: the workflow passes in the time and records what comes out.
 *
 * @module
 */
import type { KommuneConfig } from '../config/types';
import { isPersonId } from './person-id';
import type { CaseState, CaseTask } from './types';

/** Open tasks a case keeps at most: a channel down for weeks must not grow the case's state. */
export const MAX_OPEN_TASKS = 20;

/** Recipients' outcomes a history entry keeps at most. */
const MAX_OUTCOMES = 20;

/** One recipient's outcome as the case's history keeps it: who by role and pseudonymous id only. */
export interface DeliveryOutcome {
  role: string;
  id?: string;
  channel?: string;
  status: 'sent' | 'failed';
  /** A short error code from the channel; free text (it may hold an address) is left out. */
  error?: string;
}

const CODE = /^[A-Za-z0-9_.:-]{1,64}$/;
const CHANNEL = /^[a-z][a-z0-9-]{0,19}$/;

/** A user id the engine may keep: a person id that is neither an address nor a number. */
function pseudonymousId(value: unknown): string | undefined {
  return isPersonId(value) && !value.includes('@') && !/^\+?\d+$/.test(value) ? value : undefined;
}

/**
 * What the delivery activity answered, per recipient, without personal data. A delivery that
 * answers nothing (the outbox) is sent to `to`; a list of `{ recipient, channel, status,
 * error? }` keeps each recipient's role and pseudonymous id, its channel and status.
 *
 * @example
 * deliveryOutcomes(undefined, 'holder') // [{ role: 'holder', status: 'sent' }]
 */
export function deliveryOutcomes(result: unknown, to: string): DeliveryOutcome[] {
  // Nothing per recipient (the outbox alone, no channel configured): recorded as sent to `to`.
  if (!Array.isArray(result) || result.length === 0) return [{ role: to, status: 'sent' }];
  return result.slice(0, MAX_OUTCOMES).map((raw: unknown): DeliveryOutcome => {
    const r = (raw ?? {}) as Record<string, unknown>;
    const recipient = (typeof r.recipient === 'object' && r.recipient) || {};
    const { role, id } = recipient as Record<string, unknown>;
    return {
      role: typeof role === 'string' && CODE.test(role) ? role : to,
      ...(pseudonymousId(id) ? { id: id as string } : {}),
      ...(typeof r.channel === 'string' && CHANNEL.test(r.channel) ? { channel: r.channel } : {}),
      status: r.status === 'sent' ? 'sent' : 'failed',
      ...(typeof r.error === 'string' && CODE.test(r.error) ? { error: r.error } : {}),
    };
  });
}

/** The message a task is about: its template, notification kind and recipient role. */
export type TaskAbout = CaseTask['about'];

/** «Familien kunne ikke nås» for the family, else the role by its title. */
export function unreachableTitle(config: KommuneConfig, to: string): string {
  const role = Object.hasOwn(config.roles, to) ? config.roles[to] : undefined;
  if (to === 'family' || role?.family) return 'Familien kunne ikke nås';
  if (to === 'holder') return 'Stafettholderen kunne ikke nås';
  return `${role?.title ?? to} kunne ikke nås`;
}

/**
 * The case with a task for its holder about a message that could not be delivered, at the next
 * revision; null when an open task is already about the same message and recipient, or the case
 * has as many open tasks as it may keep (the history still records each failure).
 *
 * @example
 * withUnreachableTask(config, s, { template: 'invitation', notification: 'notify', to: 'parent' }, now)
 */
export function withUnreachableTask(
  config: KommuneConfig,
  s: CaseState,
  about: TaskAbout,
  now: string,
): { state: CaseState; task: CaseTask } | null {
  const open = s.tasks ?? [];
  const same = open.some(
    (t) =>
      t.kind === 'unreachable' && t.about.template === about.template && t.about.to === about.to,
  );
  if (same || open.length >= MAX_OPEN_TASKS) return null;
  const revision = s.revision + 1;
  const task: CaseTask = {
    id: `task-${revision}`,
    kind: 'unreachable',
    title: unreachableTitle(config, about.to),
    about,
    at: now,
  };
  return { state: { ...s, tasks: [...open, task], revision }, task };
}

/** The case without the task, at the next revision; null when it has no such open task. */
export function withoutTask(
  s: CaseState,
  taskId: string,
): { state: CaseState; task: CaseTask } | null {
  const task = s.tasks?.find((t) => t.id === taskId);
  if (!task) return null;
  return {
    state: { ...s, tasks: s.tasks!.filter((t) => t !== task), revision: s.revision + 1 },
    task,
  };
}
