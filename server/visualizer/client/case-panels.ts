/**
 * The side panels of a case page: facts, timers, action points, team and consents, history.
 * Each is a pure function of the snapshot (and config), redrawn whole on every change.
 */
import type { KommuneConfig } from '../../../config/types';
import type { CaseSnapshot, HistoryEntry } from './api-types';
import { h } from './dom';
import type { OverdueDeadline } from './case-now';
import { ago, formatDate, formatDateTime, formatDayDate, timeLeft } from './format';
import { payloadValues } from './recorded-data';
import { statusText } from './case-list-page';
import { standingStill } from '../../../machines/standing-still';

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

/** A timer's kind in words; an unknown kind is still a deadline to the reader. */
export function timerKind(kind: string): string {
  return Object.hasOwn(TimerKinds, kind) ? TimerKinds[kind] : 'Tidsur';
}

export function roleTitle(config: KommuneConfig, role: string): string {
  if (Object.hasOwn(config.roles, role)) return config.roles[role].title;
  return Object.hasOwn(SPECIAL_TITLES, role) ? SPECIAL_TITLES[role] : role;
}

/** "Nivå 1 – Avklaringssamtale": the level with the kommune's own name for it, where it has one. */
export function levelName(config: KommuneConfig, level: number | null | undefined): string {
  if (level === null || level === undefined) return '–';
  const title = config.levels?.[level as keyof NonNullable<KommuneConfig['levels']>]?.title;
  return title ? `Nivå ${level} – ${title}` : `Nivå ${level}`;
}

export function stepTitle(config: KommuneConfig, step: string | null | undefined): string {
  return step ? (config.steps[step]?.title ?? step) : '–';
}

export function alerts(
  c: CaseSnapshot,
  config: KommuneConfig,
  now = Date.now(),
  overdue: OverdueDeadline[] = [],
): HTMLElement | null {
  const items: HTMLElement[] = [];
  if (c.overdue)
    items.push(
      h(
        'li',
        { class: 'flag flag-overdue' },
        overdue.length > 0
          ? `⚠ Forfalt: ${overdue.map((d) => `«${d.title}» siden ${formatDayDate(d.since, now)}`).join(', ')}`
          : '⚠ Forfalt: en frist i dette steget er passert',
      ),
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
  // An overdue case had a deadline; saying "none is set" beside "overdue" would contradict it.
  if (c.status === 'open' && c.timers.length === 0 && !c.overdue)
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
    row('BTI-nivå', levelName(config, c.level)),
    row(
      'Status',
      statusText(c.status),
      c.closedAt && c.status !== 'open' ? ` ${formatDayDate(c.closedAt)}` : '',
      c.outcomeReason ? ` – ${c.outcomeReason}` : '',
    ),
    row(
      'Stafettholder',
      c.holder
        ? `${roleTitle(config, c.holder.role)} (bruker-id ${c.holder.id}), siden ${formatDayDate(c.holder.since)}`
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
        h('span', { class: 'timer-kind' }, `◷ ${timerKind(t.kind)}`),
        h('strong', {}, t.title ?? timerKind(t.kind)),
        h('span', {}, `${left.overdue ? 'Gikk ut' : 'Går ut'} ${formatDayDate(t.dueAt, now)}`),
        h('span', { class: 'time-left' }, left.overdue ? `⚠ ${left.text}` : left.text),
      );
    }),
  );
}

export function actionPointsPanel(c: CaseSnapshot, now = Date.now()): HTMLElement {
  if (c.actionPoints.length === 0) return h('p', { class: 'muted' }, 'Ingen aksjonspunkter.');
  const open = c.actionPoints.filter((a) => a.status === 'open');
  const done = c.actionPoints.filter((a) => a.status === 'done');
  // The id is shown because a form ticks points off by it ("Aksjonspunkter som er gjort (id)").
  const item = (a: CaseSnapshot['actionPoints'][number]) => {
    const late = a.status === 'open' && a.due ? Date.parse(a.due) < now : false;
    return h(
      'li',
      { class: late ? 'late' : a.status === 'done' ? 'done' : undefined, 'data-point': a.id },
      h('strong', {}, a.status === 'done' ? `✓ ${a.title}` : a.title),
      h('span', {}, `Ansvarlig: ${a.responsible}`),
      a.status === 'done'
        ? h('span', {}, `Gjort${a.doneAt ? ` ${formatDayDate(a.doneAt, now)}` : ''}`)
        : a.due
          ? h(
              'span',
              {},
              late
                ? `⚠ Fristen ${formatDayDate(a.due, now)} er passert`
                : `Frist ${formatDayDate(a.due, now)}`,
            )
          : null,
      h('span', { class: 'muted' }, `Id: ${a.id}`),
    );
  };
  return h(
    'div',
    {},
    open.length > 0
      ? h('ul', { class: 'action-points' }, open.map(item))
      : h('p', { class: 'muted' }, 'Ingen åpne aksjonspunkter.'),
    done.length > 0
      ? h(
          'details',
          {},
          h('summary', {}, `${done.length} fullført`),
          h('ul', { class: 'action-points' }, done.map(item)),
        )
      : null,
  );
}

/**
 * The holder's open tasks, e.g. a family a message could not reach (completed ones are in the
 * history). With `onComplete`, each has a button to mark it done; the server decides who may.
 */
export function tasksPanel(
  c: CaseSnapshot,
  config: KommuneConfig,
  onComplete?: (task: CaseSnapshot['tasks'][number], button: HTMLButtonElement) => void,
): HTMLElement {
  if (c.tasks.length === 0) return h('p', { class: 'muted' }, 'Ingen åpne oppgaver.');
  return h(
    'ul',
    { class: 'tasks' },
    c.tasks.map((t) => {
      const button = onComplete
        ? h('button', { type: 'button', class: 'secondary small' }, `Merk «${t.title}» som gjort`)
        : null;
      button?.addEventListener('click', () => onComplete!(t, button));
      return h(
        'li',
        { 'data-task': t.id },
        h('strong', {}, t.title),
        h(
          'span',
          {},
          `Meldingen «${config.templates?.[t.about.template]?.title ?? 'uten tittel'}» til ${roleTitle(config, t.about.to)} kom ikke fram (${formatDateTime(t.at)}).`,
        ),
        button,
      );
    }),
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

const NOTIFICATION_KINDS: Record<string, string> = {
  notify: 'Melding',
  escalate: 'Eskalering',
  feedbackLink: 'Lenke til tilbakemeldingsskjema',
  survey: 'Spørreundersøkelse',
};

type Holder = { id: string; role: string } | null | undefined;

/** "Stafetten gitt fra A til B", each by their role's title, never by a user id. */
function handoverText(e: HistoryEntry, config: KommuneConfig): string {
  const p = (e.payload ?? {}) as { from?: Holder; to?: Holder; holderId?: string };
  if (p.holderId !== undefined) return 'Stafetten gitt videre: holderen fikk plass til saken';
  const who = (x: Holder) => (x ? roleTitle(config, x.role) : null);
  const from = who(p.from);
  const to = who(p.to);
  if (!to) return 'Stafetten er gitt videre';
  if (!from) return `Stafetten gitt til ${to}`;
  return `Stafetten gitt fra ${from} til ${p.from?.role === p.to?.role ? `en annen i ${to}` : to}`;
}

function templateOf(e: HistoryEntry, config: KommuneConfig): string {
  const t = (e.payload as { template?: unknown } | undefined)?.template;
  const title = typeof t === 'string' ? config.templates?.[t]?.title : undefined;
  return title ? ` «${title}»` : '';
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
      return `Tidsur gikk ut: ${timerTitles.get(`${step}/${timerId}`) ?? 'et tidsur i steget'}`;
    }
    case 'event':
      return config.events[e.what]?.title ?? 'Hendelse';
    case 'handover':
      return handoverText(e, config);
    case 'migrated': {
      const version = /^version (\d+)$/.exec(e.what)?.[1];
      return version
        ? `Flyttet til slusemodell versjon ${version}`
        : 'Flyttet til en ny slusemodell';
    }
    case 'notified':
      return `${NOTIFICATION_KINDS[e.what] ?? 'Melding'}${templateOf(e, config)} sendt til ${e.to ? roleTitle(config, e.to) : '–'}`;
    case 'notificationFailed':
      return `${NOTIFICATION_KINDS[e.what] ?? 'Melding'}${templateOf(e, config)} kunne ikke sendes til ${e.to ? roleTitle(config, e.to) : '–'}`;
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
      return 'Endring i saken';
  }
}

/** What an entry recorded, under the form's titles: an event's or a reopening's payload. */
function entryValues(e: HistoryEntry, config: KommuneConfig): HTMLElement | null {
  if (e.payload === undefined || e.payload === null) return null;
  if (e.kind === 'event') return payloadValues(e.payload, config.events[e.what]?.payload);
  if (e.kind === 'reopened' || e.kind === 'opened')
    return payloadValues(
      e.payload,
      e.kind === 'reopened' ? config.reopen?.payload : config.intake.payload,
    );
  return null;
}

export function historyPanel(entries: HistoryEntry[], config: KommuneConfig): HTMLElement {
  if (entries.length === 0) return h('p', { class: 'muted' }, 'Ingen historikk ennå.');
  const timerTitles = new Map<string, string>();
  for (const [stepId, step] of Object.entries(config.steps))
    for (const t of step.timers ?? [])
      timerTitles.set(`${stepId}/${t.id}`, t.title ?? timerKind(t.kind));
  return h(
    'ol',
    { class: 'timeline', reversed: true },
    [...entries].reverse().map((e) => {
      const moved =
        e.from !== undefined && e.to !== undefined && e.from !== e.to && e.kind !== 'notified';
      const values = entryValues(e, config);
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
        values ? h('details', {}, h('summary', {}, 'Vis det som ble registrert'), values) : null,
      );
    }),
  );
}
