/**
 * The side panels of a case page: facts, timers, action points, team and consents, history.
 * Each is a pure function of the snapshot (and config), redrawn whole on every change.
 */
import type { KommuneConfig } from '../../../config/types';
import type { CaseSnapshot, HistoryEntry } from './api-types';
import { h } from './dom';
import { ago, formatDate, formatDateTime, timeLeft } from './format';
import { statusText } from './case-list-page';
import { standingStill } from './standing-still';

const TimerKinds: Record<string, string> = {
  deadline: 'Frist',
  reminder: 'Påminnelse',
  recurring: 'Gjentakende',
  inactivity: 'Står stille-vakt',
  maxDuration: 'Maks varighet',
  dueDate: 'Avtalt dato',
  consentLapse: 'Samtykke utløper',
};

/** Ids that are no role of the kommune: the engine, and the special message recipients. */
const SPECIAL_TITLES: Record<string, string> = {
  system: 'Systemet (tidsur)',
  holder: 'Stafettholderen',
  family: 'Familien',
};

export function roleTitle(config: KommuneConfig, role: string): string {
  if (Object.hasOwn(config.roles, role)) return config.roles[role].title;
  return Object.hasOwn(SPECIAL_TITLES, role) ? SPECIAL_TITLES[role] : role;
}

export function stepTitle(config: KommuneConfig, step: string | null | undefined): string {
  return step ? (config.steps[step]?.title ?? step) : '–';
}

export function alerts(
  c: CaseSnapshot,
  config: KommuneConfig,
  now = Date.now(),
): HTMLElement | null {
  const items: HTMLElement[] = [];
  if (c.overdue)
    items.push(
      h('li', { class: 'flag flag-overdue' }, '⚠ Forfalt: en frist i dette steget er passert'),
    );
  if (c.escalatedTo.length > 0)
    items.push(
      h(
        'li',
        { class: 'flag flag-escalated' },
        `⬆ Eskalert til ${c.escalatedTo.map((r) => roleTitle(config, r)).join(', ')}`,
      ),
    );
  if (standingStill(c, now))
    items.push(
      h(
        'li',
        { class: 'flag flag-still' },
        `‖ Står stille: ingen aktivitet ${ago(c.lastActivityAt, now)}`,
      ),
    );
  if (c.status === 'open' && c.timers.length === 0)
    items.push(h('li', { class: 'flag flag-still' }, '‖ Ingen frist er satt i dette steget'));
  return items.length > 0
    ? h('ul', { class: 'flags alerts', 'aria-label': 'Varsler' }, items)
    : null;
}

export function factsPanel(c: CaseSnapshot, config: KommuneConfig): HTMLElement {
  const row = (term: string, ...value: Array<Node | string>) => [
    h('dt', {}, term),
    h('dd', {}, ...value),
  ];
  return h(
    'dl',
    { class: 'facts' },
    row(
      'Nåværende steg',
      h('strong', { 'data-testid': 'current-step' }, stepTitle(config, c.step)),
    ),
    row('BTI-nivå', `Nivå ${c.level}`),
    row('Status', statusText(c.status), c.outcomeReason ? ` – ${c.outcomeReason}` : ''),
    row(
      'Stafettholder',
      c.holder
        ? `${c.holder.id} (${roleTitle(config, c.holder.role)}), siden ${formatDate(c.holder.since)}`
        : 'Ingen',
    ),
    row('I steget siden', formatDateTime(c.stepEnteredAt)),
    row('Siste aktivitet', `${formatDateTime(c.lastActivityAt)} (${ago(c.lastActivityAt)})`),
    row('Meldt fra', config.referralSources[c.referralSource]?.title ?? c.referralSource),
    row('Åpnet', formatDateTime(c.openedAt)),
    row('Versjon', `revisjon ${c.revision}, slusemodell v${c.configVersion}`),
  );
}

export function timersPanel(c: CaseSnapshot, now = Date.now()): HTMLElement {
  if (c.timers.length === 0) return h('p', { class: 'muted' }, 'Ingen tidsur er satt.');
  const sorted = [...c.timers].sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return h(
    'ul',
    { class: 'timers' },
    sorted.map((t) => {
      const left = timeLeft(t.dueAt, now);
      return h(
        'li',
        { class: left.overdue ? 'late' : undefined },
        h('span', { class: 'timer-kind' }, `◷ ${TimerKinds[t.kind] ?? t.kind}`),
        h('strong', {}, t.title ?? t.timerId),
        h('span', {}, `Forfaller ${formatDateTime(t.dueAt)}`),
        h('span', { class: 'time-left' }, left.overdue ? `⚠ ${left.text}` : left.text),
      );
    }),
  );
}

export function actionPointsPanel(c: CaseSnapshot, now = Date.now()): HTMLElement {
  const open = c.actionPoints.filter((a) => a.status === 'open');
  const done = c.actionPoints.length - open.length;
  if (open.length === 0)
    return h(
      'p',
      { class: 'muted' },
      done > 0 ? `Ingen åpne aksjonspunkter (${done} fullført).` : 'Ingen aksjonspunkter.',
    );
  return h(
    'div',
    {},
    h(
      'ul',
      { class: 'action-points' },
      open.map((a) => {
        const late = a.due ? Date.parse(a.due) < now : false;
        return h(
          'li',
          { class: late ? 'late' : undefined },
          h('strong', {}, a.title),
          h('span', {}, `Ansvarlig: ${a.responsible}`),
          a.due
            ? h(
                'span',
                {},
                late ? `⚠ Frist ${formatDate(a.due)} er passert` : `Frist ${formatDate(a.due)}`,
              )
            : null,
        );
      }),
    ),
    done > 0 ? h('p', { class: 'muted' }, `${done} fullført.`) : null,
  );
}

/** The holder's open tasks, e.g. a family a message could not reach (completed ones are in the history). */
export function tasksPanel(c: CaseSnapshot, config: KommuneConfig): HTMLElement {
  if (c.tasks.length === 0) return h('p', { class: 'muted' }, 'Ingen åpne oppgaver.');
  return h(
    'ul',
    { class: 'tasks' },
    c.tasks.map((t) =>
      h(
        'li',
        {},
        h('strong', {}, t.title),
        h(
          'span',
          {},
          `Meldingen «${config.templates?.[t.about.template]?.title ?? t.about.template}» til ${roleTitle(config, t.about.to)} kom ikke fram (${formatDateTime(t.at)}).`,
        ),
      ),
    ),
  );
}

export function teamPanel(c: CaseSnapshot, config: KommuneConfig, now = Date.now()): HTMLElement {
  const consents = Object.entries(c.consents);
  return h(
    'div',
    {},
    c.team.length === 0
      ? h('p', { class: 'muted' }, 'Ingen i teamet ennå.')
      : h(
          'ul',
          { class: 'team' },
          c.team.map((m) =>
            h(
              'li',
              {},
              h('strong', {}, m.id),
              m.title || m.role
                ? ` – ${[m.title, m.role && roleTitle(config, m.role)].filter(Boolean).join(', ')}`
                : '',
            ),
          ),
        ),
    h('h3', {}, 'Samtykker'),
    consents.length === 0
      ? h('p', { class: 'muted' }, 'Ingen samtykker registrert.')
      : h(
          'ul',
          { class: 'consents' },
          consents.map(([type, s]) => {
            const valid =
              !s.withdrawnAt &&
              (s.awaiting ?? []).length === 0 &&
              (!s.expiresAt || Date.parse(s.expiresAt) > now);
            const giver = (g: string) => (g === 'youth' ? 'ungdommen' : 'forelder');
            // Given by the family signed in, or recorded by staff from a paper or oral consent.
            const how =
              s.via === 'family'
                ? ' digitalt'
                : s.via === 'staff' && s.recordedBy
                  ? `, registrert av ${roleTitle(config, s.recordedBy.role)}`
                  : '';
            return h(
              'li',
              {},
              h('span', {}, valid ? '✓ Gyldig: ' : '✗ Ikke gyldig: '),
              config.consentTypes?.[type]?.title ?? type,
              ` (gitt av ${giver(s.givenBy)}${how} ${formatDate(s.givenAt)}${s.awaiting?.length ? `; venter på ${s.awaiting.map(giver).join(' og ')}` : ''}${s.withdrawnAt ? `, trukket ${formatDate(s.withdrawnAt)}` : s.expiresAt ? `, gyldig til ${formatDate(s.expiresAt)}` : ''})`,
            );
          }),
        ),
  );
}

function describeEntry(
  e: HistoryEntry,
  config: KommuneConfig,
  timerTitles: Map<string, string>,
): string {
  switch (e.kind) {
    case 'opened':
      return `Sak opprettet i «${stepTitle(config, e.to)}»`;
    case 'reopened':
      return `Gjenåpnet i «${stepTitle(config, e.to)}»`;
    case 'timer': {
      const [step, timerId] = e.what.split('/');
      return `Tidsur gikk ut: ${timerTitles.get(`${step}/${timerId}`) ?? timerId ?? e.what}`;
    }
    case 'event':
      return config.events[e.what]?.title ?? e.what;
    case 'notified':
      return `Varsel sendt (${e.what}) til ${e.to ? roleTitle(config, e.to) : '–'}`;
    case 'notificationFailed':
      return `Varsel kunne ikke sendes (${e.what}) til ${e.to ? roleTitle(config, e.to) : '–'}`;
    case 'taskOpened':
      return 'Oppgave til stafettholderen: meldingen kom ikke fram';
    case 'taskCompleted':
      return 'Oppgave merket som gjort';
    case 'reopenRequested':
      return 'Familien ba om å åpne saken igjen';
    case 'reopenDeclined':
      return 'Forespørselen om å åpne saken igjen ble avslått';
    case 'archived':
      return 'Saken er arkivert';
    default:
      return e.what;
  }
}

export function historyPanel(entries: HistoryEntry[], config: KommuneConfig): HTMLElement {
  if (entries.length === 0) return h('p', { class: 'muted' }, 'Ingen historikk ennå.');
  const timerTitles = new Map<string, string>();
  for (const [stepId, step] of Object.entries(config.steps))
    for (const t of step.timers ?? []) timerTitles.set(`${stepId}/${t.id}`, t.title ?? t.id);
  return h(
    'ol',
    { class: 'timeline', reversed: true },
    [...entries].reverse().map((e) => {
      const moved =
        e.from !== undefined && e.to !== undefined && e.from !== e.to && e.kind !== 'notified';
      return h(
        'li',
        { class: `timeline-${e.kind}` },
        h('time', { datetime: e.at }, formatDateTime(e.at)),
        h(
          'div',
          {},
          h('strong', {}, describeEntry(e, config, timerTitles)),
          moved && e.from
            ? h(
                'span',
                { class: 'move' },
                ` → fra «${stepTitle(config, e.from)}» til «${stepTitle(config, e.to)}»`,
              )
            : null,
        ),
        h(
          'div',
          { class: 'muted' },
          `${roleTitle(config, e.actor.role)}${e.actor.role === 'system' ? '' : ` (${e.actor.id})`} · revisjon ${e.revision}`,
        ),
        e.payload !== undefined && e.payload !== null && Object.keys(e.payload as object).length > 0
          ? h(
              'details',
              {},
              h('summary', {}, 'Vis innhold'),
              h('pre', { class: 'mono' }, JSON.stringify(e.payload, null, 2)),
            )
          : null,
      );
    }),
  );
}
