/**
 * Fills a message template's `{{variables}}` (config/message-variables.ts) in two steps:
 *
 * 1. `fillCaseVariables`, in the workflow: the case's non-personal facts (kommune name, case id,
 *    step and level titles, next due date in Norwegian). Deterministic: Oslo dates are computed
 *    without Intl, as in oslo-time.ts.
 * 2. `renderForDelivery`, in the delivery activity: the delivery variables (the link, the holder's
 *    name from the staff directory). Every placeholder left is filled, or it throws
 *    `MessageValueMissingError`: a message never goes out with `{{…}}` in it.
 *
 * @module
 */
import {
  DeliveryVariables,
  FormerVariableNames,
  isMessageVariable,
  MessageVariables,
  placeholdersIn,
  replacePlaceholders,
  strayBraces,
  type DeliveryVariable,
  type MessageVariableName,
} from '../config/message-variables';
import type { KommuneConfig } from '../config/types';
import { instant, toOsloLocal } from './oslo-time';
import { earliestDue } from './timers';
import type { ArmedTimer, CaseState } from './types';

const MONTHS = [
  'januar',
  'februar',
  'mars',
  'april',
  'mai',
  'juni',
  'juli',
  'august',
  'september',
  'oktober',
  'november',
  'desember',
] as const;

/**
 * An instant as its Oslo calendar date in Norwegian, like `Intl` with `nb-NO` and
 * `Europe/Oslo` would write it, but without Intl so workflow code stays deterministic.
 *
 * @example
 * norwegianDateOf('2026-12-03T23:30:00.000Z') // '4. desember 2026' (00:30 in Oslo)
 */
export function norwegianDateOf(iso: string): string {
  const d = toOsloLocal(instant(iso, 'date'));
  return `${d.day}. ${MONTHS[d.month - 1]} ${d.year}`;
}

/** What `{{frist}}` says when the case has no deadline running. */
export const NO_DEADLINE = 'ingen fastsatt frist';

/**
 * Timers that are a date someone must meet. Not reminders (they come before the date they remind
 * of), inactivity (it moves with every change) or a consent lapsing.
 */
const DEADLINE_KINDS: ReadonlySet<ArmedTimer['kind']> = new Set([
  'deadline',
  'dueDate',
  'recurring',
  'maxDuration',
]);

/** The case's next deadline, as `{{frist}}` names it; `null` when none runs. */
export function nextDeadlineAt(s: Pick<CaseState, 'timers'>): string | null {
  return earliestDue(s.timers.filter((t) => DEADLINE_KINDS.has(t.kind)));
}

type WorkflowVariable = Exclude<MessageVariableName, DeliveryVariable>;

/** The workflow variables of case `s`: non-personal facts only. */
export function caseFacts(config: KommuneConfig, s: CaseState): Record<WorkflowVariable, string> {
  const step = Object.hasOwn(config.steps, s.step) ? config.steps[s.step] : undefined;
  const due = nextDeadlineAt(s);
  return {
    kommune: config.name,
    saksnummer: s.caseId,
    steg: step?.title ?? s.step,
    niva: `nivå ${s.level}`,
    frist: due ? norwegianDateOf(due) : NO_DEADLINE,
  };
}

/** The variable a written name stands for: itself, or the new name of a former English one. */
function variableOf(name: string): MessageVariableName | undefined {
  if (isMessageVariable(name)) return name;
  return Object.hasOwn(FormerVariableNames, name) ? FormerVariableNames[name] : undefined;
}

const isDelivery = (name: MessageVariableName): name is DeliveryVariable =>
  MessageVariables[name].filledAt === 'delivery';

/**
 * Fills the workflow variables; delivery variables are left for `renderForDelivery`, written
 * with their current name (`{{link}}` becomes `{{lenke}}`), and so is anything unknown (only
 * possible in a config snapshot from before validation knew the variables).
 *
 * @example
 * fillCaseVariables('Sak {{saksnummer}}: {{lenke}}', facts) // 'Sak c-1: {{lenke}}'
 */
export function fillCaseVariables(text: string, facts: Record<WorkflowVariable, string>): string {
  return replacePlaceholders(text, (name) => {
    const variable = variableOf(name);
    if (variable === undefined) return undefined;
    return isDelivery(variable) ? `{{${variable}}}` : facts[variable];
  });
}

/** The delivery variables the texts use, each once, in catalogue order. */
export function deliveryVariablesIn(...texts: string[]): DeliveryVariable[] {
  const used = new Set(texts.flatMap((t) => placeholdersIn(t).map((p) => variableOf(p.name))));
  return DeliveryVariables.filter((name) => used.has(name));
}

/** Values the delivery activity looked up or made, by delivery variable. */
export type DeliveryValues = Partial<Record<DeliveryVariable, string>>;

/**
 * A message that cannot be sent because a value is missing (the holder has no name in the staff
 * directory, the case has no holder, a link was not made) or a placeholder is unknown. Carries
 * names only, never values. The caller treats it as a failed delivery.
 */
export class MessageValueMissingError extends Error {
  readonly code = 'MESSAGE_VALUE_MISSING';
  constructor(
    readonly template: string,
    /** The placeholders that could not be filled, as written (`stafettholder`, `{{` for an unclosed one). */
    readonly missing: string[],
  ) {
    super(`message "${template}" cannot be sent: no value for ${missing.join(', ')}`);
    this.name = 'MessageValueMissingError';
  }
}

export interface RenderedMessage {
  title: string;
  body: string;
}

/**
 * The message as it is sent: every placeholder left in the notification's title and body filled
 * from `values`; `lenke` defaults to the notification's `link`. A value that is missing, blank
 * or holds `{{` throws `MessageValueMissingError`, as does an unknown or unclosed placeholder.
 *
 * @example
 * renderForDelivery(n, { stafettholder: 'Kari Nordmann' }) // { title, body } with no '{{'
 */
export function renderForDelivery(
  n: { template: string; title: string; body: string; link?: string },
  values: DeliveryValues,
): RenderedMessage {
  const missing = new Set<string>();
  const given: DeliveryValues = { lenke: n.link, ...values };
  const fill = (text: string): string => {
    const out = replacePlaceholders(text, (name) => {
      const variable = variableOf(name);
      const value =
        variable !== undefined && isDelivery(variable) && Object.hasOwn(given, variable)
          ? given[variable]
          : undefined;
      // A value holding `{{` would send a placeholder after all; it is as good as none.
      if (value === undefined || value.trim() === '' || value.includes('{{')) {
        missing.add(variable ?? name);
        return undefined;
      }
      return value;
    });
    if (strayBraces(text) !== undefined) missing.add('{{');
    return out;
  };
  const rendered = { title: fill(n.title), body: fill(n.body) };
  if (missing.size > 0) throw new MessageValueMissingError(n.template, [...missing]);
  return rendered;
}
