/**
 * What the case page says first: why the case looks as it does and whose move is next. An
 * overdue case names the deadline that passed and since when; a case whose next move belongs
 * to another role says whom it waits for; a closed case says so and how long it can reopen.
 */
import type { KommuneConfig, TimerDef } from '../../../config/types';
import { parseDuration } from '../../../config/duration';
import type { CaseSnapshot, HistoryEntry } from './api-types';
import { roleTitle, stepTitle } from './case-panels';
import { h } from './dom';
import { ago, durationWords, formatDayDate, timeLeft } from './format';

export interface OverdueDeadline {
  title: string;
  /** When it passed: the instant a deadline ran out, or the day a chosen date was. */
  since: string;
  /** A date chosen in an event (a follow-up talk): the day itself, not its end, is named. */
  chosenDate: boolean;
}

const marksOverdue = (t: TimerDef) => t.onExpiry.some((e) => e.type === 'markOverdue');

/**
 * The deadlines of the current step that passed and marked the case overdue, from the history
 * (a fired timer leaves the case's timer list; its key keeps step, id and due time).
 */
export function overdueDeadlines(
  c: CaseSnapshot,
  config: KommuneConfig,
  history: HistoryEntry[] | null,
): OverdueDeadline[] {
  if (!c.overdue) return [];
  const defs = config.steps[c.step]?.timers ?? [];
  const found = new Map<string, OverdueDeadline>();
  for (const e of history ?? []) {
    if (e.kind !== 'timer' || e.at < c.stepEnteredAt) continue;
    const [step, timerId] = e.what.split('/');
    const def = step === c.step ? defs.find((t) => t.id === timerId) : undefined;
    // The key's last part is when it was due, which is when it passed (it may fire later).
    const due = e.what.slice(`${step}/${timerId}/`.length);
    if (!def || !marksOverdue(def)) continue;
    const chosen = def.kind === 'dueDate' ? c.data[def.field] : undefined;
    found.set(def.id, {
      title: def.title ?? timerTitle(def),
      since:
        typeof chosen === 'string' && !Number.isNaN(Date.parse(chosen))
          ? chosen
          : Number.isNaN(Date.parse(due))
            ? e.at
            : due,
      chosenDate: typeof chosen === 'string',
    });
  }
  return [...found.values()];
}

function timerTitle(t: TimerDef): string {
  return t.kind === 'dueDate' ? 'Avtalt dato' : 'Frist';
}

/** The roles that can move the case on from its step (not the engine, not a stay in the step). */
function moversOf(c: CaseSnapshot, config: KommuneConfig): string[] {
  const roles = new Set<string>();
  for (const [event, t] of Object.entries(config.steps[c.step]?.on ?? {})) {
    const transitions = Array.isArray(t) ? t : [t];
    if (!transitions.some((x) => x.target && x.target !== c.step)) continue;
    for (const r of config.events[event]?.roles ?? []) roles.add(r);
  }
  return [...roles];
}

/** The last day of the short way back: closing time plus the window (calendar, Oslo date shown). */
function reopenUntil(closedAt: string, within: string): number | null {
  const d = parseDuration(within);
  if (!d) return null;
  const t = new Date(closedAt);
  t.setUTCMonth(t.getUTCMonth() + d.years * 12 + d.months);
  return t.getTime() + ((d.weeks * 7 + d.days) * 24 * 60 + d.hours * 60 + d.minutes) * 60_000;
}

export interface ReopenWindow {
  open: boolean;
  until: number | null;
  mayReopen: boolean;
}

export function reopenWindow(
  c: CaseSnapshot,
  config: KommuneConfig,
  viewerRole: string,
  now = Date.now(),
): ReopenWindow | null {
  if (c.status === 'open' || !config.reopen || !c.closedAt) return null;
  const until = reopenUntil(c.closedAt, config.reopen.within);
  return {
    open: until === null || now <= until,
    until,
    mayReopen: config.reopen.roles.includes(viewerRole),
  };
}

const CLOSED_WORDS: Record<string, string> = {
  closed: 'Saken er avsluttet',
  handed_over: 'Saken er overført',
  withdrawn: 'Saken er trukket',
};

/** The lines at the top of "Hva du kan gjøre nå". */
export function nowPanel(
  c: CaseSnapshot,
  config: KommuneConfig,
  viewerRole: string,
  history: HistoryEntry[] | null,
  now = Date.now(),
): HTMLElement {
  const lines: HTMLElement[] = [];
  if (c.status !== 'open') {
    lines.push(
      h(
        'li',
        { class: 'now-closed' },
        h('strong', {}, `${CLOSED_WORDS[c.status] ?? 'Saken er avsluttet'}`),
        c.closedAt ? ` ${formatDayDate(c.closedAt, now)}` : '',
        c.outcomeReason ? `: ${c.outcomeReason}` : '.',
      ),
    );
    const w = reopenWindow(c, config, viewerRole, now);
    if (w && config.reopen) {
      const within = durationWords(config.reopen.within);
      const until = w.until !== null ? formatDayDate(new Date(w.until).toISOString(), now) : '';
      lines.push(
        h(
          'li',
          {},
          w.open
            ? `Den kan gjenåpnes innen ${within} etter at den ble avsluttet${until ? `, til og med ${until}` : ''}, rett inn i «${stepTitle(config, config.reopen.step)}».` +
                (w.mayReopen
                  ? ''
                  : ` Det kan ${config.reopen.roles.map((r) => roleTitle(config, r)).join(' eller ')} gjøre.`)
            : `Fristen for å gjenåpne den (innen ${within}) gikk ut ${until}.`,
        ),
      );
    }
    return h('ul', { class: 'now', 'data-testid': 'now' }, lines);
  }
  for (const d of overdueDeadlines(c, config, history))
    lines.push(
      h(
        'li',
        { class: 'now-overdue' },
        h('strong', {}, `⚠ Fristen «${d.title}» er passert`),
        ` – ${d.chosenDate ? 'den var satt til' : 'den gikk ut'} ${formatDayDate(d.since, now)} (${ago(d.since, now)}).`,
      ),
    );
  if (c.overdue && lines.length === 0)
    lines.push(
      h('li', { class: 'now-overdue' }, h('strong', {}, '⚠ En frist i dette steget er passert.')),
    );
  const next = [...c.timers].sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
  if (next) {
    const left = timeLeft(next.dueAt, now);
    lines.push(
      h(
        'li',
        {},
        `Neste frist: «${next.title ?? timerTitle({ kind: next.kind } as TimerDef)}» ${formatDayDate(next.dueAt, now)} (${left.text}).`,
      ),
    );
  }
  const movers = moversOf(c, config);
  const mine = c.allowedEvents.some((e) => e.targets.some((t) => t !== c.step));
  if (!mine) {
    const holderRole = config.steps[c.step]?.holderRole;
    const waitingFor = movers.filter((r) => r !== viewerRole);
    const who =
      waitingFor.length > 0
        ? waitingFor.map((r) => roleTitle(config, r)).join(' eller ')
        : holderRole && holderRole !== viewerRole
          ? roleTitle(config, holderRole)
          : null;
    lines.push(
      h(
        'li',
        { class: 'now-waiting', 'data-testid': 'waiting-for' },
        who
          ? `Neste trekk hører ikke til din rolle: saken venter på ${who}.`
          : 'Saken venter på at et tidsur går ut.',
      ),
    );
  }
  return h('ul', { class: 'now', 'data-testid': 'now' }, lines);
}
