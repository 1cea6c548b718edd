/**
 * The kommune's cases, filterable by level, step, holder and overdue. Cases that need someone
 * to act — overdue, past their next due time, standing still (the case page's rule, see
 * `standing-still.ts`) or with nothing armed at all — say so in words and icons in their own
 * column, and refresh every few seconds.
 */
import { ApiError, apiPath, request } from './api';
import type { CaseList, CaseSummary } from './api-types';
import { notice, renderChrome } from './chrome';
import { loadConfig } from './config-cache';
import { h, replace } from './dom';
import { ago, formatDateTime, timeLeft } from './format';
import type { Viewer } from './session';
import { standingStill } from './standing-still';

const REFRESH_MS = 10_000;
/** Filters stay in the tab's session, never in the URL: a holder id is about a person. */
const FILTER_KEY = 'sluse.caseFilters';

interface Filters {
  level: string;
  step: string;
  holder: string;
  overdue: boolean;
  status: string;
}

/** Flags of a listed case, each as an icon and words. */
export function caseFlags(
  c: CaseSummary,
  now = Date.now(),
): Array<{ icon: string; text: string; kind: string }> {
  const flags: Array<{ icon: string; text: string; kind: string }> = [];
  if (c.reopenRequested)
    flags.push({ icon: '↩', text: 'Familien ber om å åpne saken igjen', kind: 'reopen-requested' });
  if (c.overdue) flags.push({ icon: '⚠', text: 'Forfalt', kind: 'overdue' });
  if (c.status === 'open' && c.nextDueAt && Date.parse(c.nextDueAt) < now)
    flags.push({ icon: '⚠', text: 'Frist passert', kind: 'past-due' });
  if (standingStill(c, now) && c.lastActivityAt)
    flags.push({
      icon: '‖',
      text: `Står stille: ingen aktivitet ${ago(c.lastActivityAt, now)}`,
      kind: 'still',
    });
  if (c.status === 'open' && !c.nextDueAt)
    flags.push({ icon: '‖', text: 'Ingen frist satt', kind: 'no-due' });
  return flags;
}

export async function caseListPage(viewer: Viewer): Promise<void> {
  const { config } = await loadConfig(viewer.kommune);
  const stepTitle = (id: string | null) => (id ? (config.steps[id]?.title ?? id) : '–');
  const saved = JSON.parse(sessionStorage.getItem(FILTER_KEY) ?? 'null') as Filters | null;
  const filters: Filters = saved ?? {
    level: '',
    step: '',
    holder: '',
    overdue: false,
    status: 'open',
  };

  const level = h(
    'select',
    { id: 'f-level' },
    h('option', { value: '' }, 'Alle'),
    [0, 1, 2, 3].map((l) => h('option', { value: String(l) }, `Nivå ${l}`)),
  );
  const step = h(
    'select',
    { id: 'f-step' },
    h('option', { value: '' }, 'Alle'),
    Object.entries(config.steps).map(([id, s]) =>
      h('option', { value: id }, `${s.title} (nivå ${s.level})`),
    ),
  );
  const holder = h('input', { id: 'f-holder', type: 'text', autocomplete: 'off' });
  const overdue = h('input', { id: 'f-overdue', type: 'checkbox' });
  const status = h(
    'select',
    { id: 'f-status' },
    h('option', { value: 'open' }, 'Åpne'),
    h('option', { value: '' }, 'Alle'),
    h('option', { value: 'closed' }, 'Avsluttet'),
    h('option', { value: 'handed_over' }, 'Overført'),
    h('option', { value: 'withdrawn' }, 'Trukket'),
  );
  level.value = filters.level;
  step.value = filters.step;
  holder.value = filters.holder;
  overdue.checked = filters.overdue;
  status.value = filters.status;

  const form = h(
    'form',
    { class: 'filters', 'aria-label': 'Filtrer saker' },
    h('div', { class: 'field' }, h('label', { for: 'f-level' }, 'Nivå'), level),
    h('div', { class: 'field' }, h('label', { for: 'f-step' }, 'Steg'), step),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'f-holder' }, 'Stafettholder (bruker-id)'),
      holder,
    ),
    h('div', { class: 'field' }, h('label', { for: 'f-status' }, 'Status'), status),
    h(
      'div',
      { class: 'field field-check' },
      overdue,
      h('label', { for: 'f-overdue' }, 'Bare forfalte'),
    ),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit' }, 'Filtrer')),
  );
  const result = h('div', { 'aria-live': 'polite' });
  const main = renderChrome(viewer, 'saker', h('h1', {}, `Saker i ${config.name}`), form, result);

  let cursor: string | null = null;
  let pages: Array<string | null> = [null];
  async function load(): Promise<void> {
    const q = new URLSearchParams();
    if (filters.level) q.set('level', filters.level);
    if (filters.step) q.set('step', filters.step);
    if (filters.holder) q.set('holder', filters.holder);
    if (filters.overdue) q.set('overdue', 'true');
    if (filters.status) q.set('status', filters.status);
    q.set('pageSize', '25');
    if (cursor) q.set('cursor', cursor);
    try {
      // Filters travel in the query of an API call made by fetch, not in the page's address.
      const list = await request<CaseList>(`${apiPath(viewer.kommune, 'cases')}?${q}`);
      replace(result, table(list.cases), pager(list.nextCursor));
    } catch (err) {
      replace(result, notice('error', err instanceof ApiError ? err.message : String(err)));
    }
  }

  function table(cases: CaseSummary[]): HTMLElement {
    if (cases.length === 0) return notice('info', 'Ingen saker passer filteret.');
    const now = Date.now();
    return h(
      'table',
      { class: 'cases' },
      h(
        'caption',
        {},
        `${cases.length} saker${cursor ? ' (neste side)' : ''}, oppdateres automatisk`,
      ),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Sak', 'Merknad', 'Steg', 'Nivå', 'Stafettholder', 'Neste frist', 'Meldt fra'].map((t) =>
            h('th', { scope: 'col' }, t),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        cases.map((c) => {
          const flags = caseFlags(c, now);
          const due = c.nextDueAt ? timeLeft(c.nextDueAt, now) : null;
          return h(
            'tr',
            { class: flags.length > 0 ? 'needs-attention' : undefined, 'data-case': c.caseId },
            h(
              'th',
              { scope: 'row' },
              h('a', { href: `/visualizer/saker/${encodeURIComponent(c.caseId)}` }, c.caseId),
            ),
            h(
              'td',
              {},
              flags.length > 0
                ? h(
                    'ul',
                    { class: 'flags' },
                    flags.map((f) =>
                      h(
                        'li',
                        { class: `flag flag-${f.kind}` },
                        h('span', { 'aria-hidden': 'true' }, `${f.icon} `),
                        f.text,
                      ),
                    ),
                  )
                : h('span', { class: 'muted' }, 'I rute'),
            ),
            h(
              'td',
              {},
              stepTitle(c.step),
              c.status && c.status !== 'open'
                ? h('span', { class: 'muted' }, ` (${statusText(c.status)})`)
                : null,
            ),
            h('td', {}, c.level === null ? '–' : String(c.level)),
            h('td', {}, c.heldByYou ? 'Deg' : c.holderPseudonym ? 'Annen' : '–'),
            h(
              'td',
              {},
              due && c.nextDueAt
                ? [
                    formatDateTime(c.nextDueAt),
                    h('br', {}),
                    h(
                      'span',
                      { class: due.overdue ? 'late' : 'muted' },
                      due.overdue ? `⚠ ${due.text}` : due.text,
                    ),
                  ]
                : '–',
            ),
            h(
              'td',
              {},
              c.referralSource
                ? (config.referralSources[c.referralSource]?.title ?? c.referralSource)
                : '–',
            ),
          );
        }),
      ),
    );
  }

  function pager(next: string | null): HTMLElement | null {
    const index = pages.indexOf(cursor);
    if (index === 0 && !next) return null;
    return h(
      'div',
      { class: 'pager' },
      index > 0
        ? h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              onclick: () => ((cursor = pages[index - 1]), void load()),
            },
            '← Forrige side',
          )
        : null,
      next
        ? h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              onclick: () => (
                (pages = [...pages.slice(0, index + 1), next]),
                (cursor = next),
                void load()
              ),
            },
            'Neste side →',
          )
        : null,
    );
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    Object.assign(filters, {
      level: level.value,
      step: step.value,
      holder: holder.value.trim(),
      overdue: overdue.checked,
      status: status.value,
    });
    sessionStorage.setItem(FILTER_KEY, JSON.stringify(filters));
    cursor = null;
    pages = [null];
    void load();
  });
  await load();
  main.focus();
  setInterval(() => void load(), REFRESH_MS);
}

export function statusText(status: string): string {
  return (
    (
      {
        open: 'åpen',
        closed: 'avsluttet',
        handed_over: 'overført',
        withdrawn: 'trukket',
      } as Record<string, string>
    )[status] ?? status
  );
}
