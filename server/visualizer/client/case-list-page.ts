/**
 * The kommune's cases, filterable and sortable. Each case says where it stands in words: ended
 * (closed, withdrawn, handed over) or, when open, every deadline passed, an escalation, open
 * tasks, standing still (see `case-status.ts`); "I rute" only when nothing is. A role that sees
 * only its own cases starts on the cases it holds ("Mine saker"); a role that sees the kommune
 * picks a holder by name. On a narrow screen the table is laid out as one card per case (CSS).
 * The list refreshes every few seconds.
 */
import { ApiError, apiPath, request, staffNames, type StaffName } from './api';
import type { KommuneConfig } from '../../../config/types';
import type { CaseList, CaseSummary } from './api-types';
import { batchChanges } from './batch-changes';
import { caseFlags, needsAttention } from './case-status';
import { notice, renderChrome } from './chrome';
import { loadConfig } from './config-cache';
import { h, replace } from './dom';
import { formatDate, formatDateTime, humanDuration, timeLeft } from './format';
import { counted } from './plural';
import type { Viewer } from './session';

export { caseFlags } from './case-status';

const REFRESH_MS = 10_000;
const PAGE_SIZE = 25;
/** Filters stay in the tab's session, never in the page's URL: a holder id is about a person. */
export const CASE_FILTERS_KEY = 'sluse.caseFilters';

type Sort = '' | 'opened' | 'nextDue' | 'lastActivity';

interface Filters {
  level: string;
  step: string;
  /** A person id picked from the name list (roles that see the kommune). */
  holder: string;
  /** Only the cases the viewer holds. */
  mine: boolean;
  overdue: boolean;
  status: string;
  sort: Sort;
}

const SORTS: Array<[Sort, string]> = [
  ['nextDue', 'Neste frist først'],
  ['opened', 'Sist åpnet først'],
  ['lastActivity', 'Lengst uten aktivitet først'],
];

export async function caseListPage(viewer: Viewer): Promise<void> {
  const { config } = await loadConfig(viewer.kommune);
  // A case runs on the version it started on: a step a later version renamed or removed is
  // titled from the case's own version (fetched once per version).
  const versions = new Map<number, KommuneConfig | null>();
  const stepTitle = (c: CaseSummary) =>
    c.step
      ? (config.steps[c.step]?.title ??
        (c.configVersion !== null ? versions.get(c.configVersion)?.steps[c.step]?.title : null) ??
        c.step)
      : '–';
  async function loadVersionsOf(cases: CaseSummary[]): Promise<void> {
    const wanted = new Set(
      cases
        .filter((c) => c.step && !config.steps[c.step] && c.configVersion !== null)
        .map((c) => c.configVersion!)
        .filter((v) => !versions.has(v)),
    );
    await Promise.all(
      [...wanted].map(async (v) => {
        const loaded = await loadConfig(viewer.kommune, v).catch(() => null);
        versions.set(v, loaded?.version === v ? loaded.config : null);
      }),
    );
  }
  const seesKommune = config.roles[viewer.role]?.sees === 'kommune';
  const defaults: Filters = {
    level: '',
    step: '',
    holder: '',
    mine: !seesKommune,
    overdue: false,
    status: 'open',
    sort: 'nextDue',
  };
  const saved = JSON.parse(
    sessionStorage.getItem(CASE_FILTERS_KEY) ?? 'null',
  ) as Partial<Filters> | null;
  const filters: Filters = { ...defaults, ...saved };
  // Names of colleagues only for those who may list every case; a holder id never shows.
  const staff = seesKommune ? await staffNames(viewer.kommune) : [];
  const nameOf = new Map(staff.map((p) => [p.pseudonym, p.displayName]));
  const holderText = (c: CaseSummary) =>
    c.heldByYou
      ? 'Deg'
      : c.holderPseudonym
        ? (nameOf.get(c.holderPseudonym) ?? 'En annen')
        : 'Ingen';

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
  const holder = h(
    'select',
    { id: 'f-holder' },
    h('option', { value: '' }, 'Alle'),
    staff.map((p) => h('option', { value: p.personId }, p.displayName)),
  );
  const mine = h('input', { id: 'f-mine', type: 'checkbox' });
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
  const sort = h(
    'select',
    { id: 'f-sort' },
    SORTS.map(([value, text]) => h('option', { value }, text)),
  );
  level.value = filters.level;
  step.value = filters.step;
  holder.value = staff.some((p) => p.personId === filters.holder) ? filters.holder : '';
  mine.checked = filters.mine;
  overdue.checked = filters.overdue;
  status.value = filters.status;
  sort.value = filters.sort;

  const form = h(
    'form',
    { class: 'filters', 'aria-label': 'Filtrer og sorter saker' },
    h('div', { class: 'field field-check' }, mine, h('label', { for: 'f-mine' }, 'Mine saker')),
    h('div', { class: 'field' }, h('label', { for: 'f-level' }, 'Nivå'), level),
    h('div', { class: 'field' }, h('label', { for: 'f-step' }, 'Steg'), step),
    seesKommune && staff.length > 0
      ? h('div', { class: 'field' }, h('label', { for: 'f-holder' }, 'Stafettholder'), holder)
      : null,
    h('div', { class: 'field' }, h('label', { for: 'f-status' }, 'Status'), status),
    h(
      'div',
      { class: 'field field-check' },
      overdue,
      h('label', { for: 'f-overdue' }, 'Bare forfalte'),
    ),
    h('div', { class: 'field' }, h('label', { for: 'f-sort' }, 'Sorter'), sort),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit' }, 'Vis saker')),
  );
  const result = h('div', { 'aria-live': 'polite' });
  const summary = h('summary', {});
  const showSummary = () =>
    replace(
      summary,
      'Filtrer og sorter',
      h('span', { class: 'muted' }, ` · ${filterWords(filters, staff, config.steps)}`),
    );
  showSummary();
  const panel = h('details', { class: 'filter-panel' }, summary, form);
  // Open on a wide screen; on a phone the cases come first and the filters are a tap away.
  panel.open = !matchMedia('(max-width: 900px)').matches;
  /** Cases chosen for a batch change; kept across the list's refreshes and pages. */
  const selected = new Set<string>();
  const batch = batchChanges({
    kommune: viewer.kommune,
    config,
    role: viewer.role,
    selected,
    stepTitle: (id) => config.steps[id]?.title ?? id,
    onDone: () => void load(),
  });
  const main = renderChrome(
    viewer,
    'saker',
    h('h1', {}, `Saker i ${config.name}`),
    panel,
    batch.element,
    result,
  );

  let cursor: string | null = null;
  let pages: Array<string | null> = [null];
  async function load(): Promise<void> {
    const q = new URLSearchParams();
    if (filters.level) q.set('level', filters.level);
    if (filters.step) q.set('step', filters.step);
    if (filters.mine) q.set('mine', 'true');
    else if (filters.holder) q.set('holder', filters.holder);
    if (filters.overdue) q.set('late', 'true');
    if (filters.status) q.set('status', filters.status);
    if (filters.sort) q.set('sort', filters.sort);
    q.set('pageSize', String(PAGE_SIZE));
    if (cursor) q.set('cursor', cursor);
    try {
      // Filters travel in the query of an API call made by fetch, not in the page's address.
      const list = await request<CaseList>(`${apiPath(viewer.kommune, 'cases')}?${q}`);
      await loadVersionsOf(list.cases);
      const refocus = focusKey(result);
      replace(
        result,
        list.sortLimited
          ? notice('info', 'Mer enn 1000 saker passer filteret: sortert blant de første 1000.')
          : null,
        table(list.cases),
        pager(list.nextCursor),
      );
      // A refresh redraws the list; whoever was on a case link or a page button stays there.
      if (refocus) result.querySelector<HTMLElement>(refocus)?.focus();
    } catch (err) {
      replace(result, notice('error', err instanceof ApiError ? err.message : String(err)));
    }
  }

  function table(cases: CaseSummary[]): HTMLElement {
    if (cases.length === 0)
      return notice(
        'info',
        filters.mine ? 'Du har ingen saker som passer filteret.' : 'Ingen saker passer filteret.',
      );
    const now = Date.now();
    const index = pages.indexOf(cursor);
    // Only open cases take a handover or a closing; a closed one is not offered.
    const choosable = batch.available;
    const open = cases.filter((c) => c.status === 'open');
    const columns = [
      ...(choosable ? ['Velg'] : []),
      'Sak',
      'Status',
      'Steg',
      'Stafettholder',
      'Åpnet',
      'I steget',
      'Neste frist',
      'Meldt fra',
    ];
    const cell = (label: string, ...content: Parameters<typeof h>[2][]) =>
      h('td', { 'data-label': label }, ...content);
    const choose = (c: CaseSummary) => {
      if (c.status !== 'open') return cell('Velg', '–');
      const box = h('input', {
        type: 'checkbox',
        id: `choose-${c.caseId}`,
        'aria-label': `Velg sak ${c.caseId}`,
      });
      box.checked = selected.has(c.caseId);
      box.addEventListener('change', () => {
        if (box.checked) selected.add(c.caseId);
        else selected.delete(c.caseId);
        batch.selectionChanged();
      });
      return cell('Velg', box);
    };
    const chooseAll =
      choosable && open.length > 0
        ? h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              id: 'choose-page',
              onclick: () => {
                for (const c of open) selected.add(c.caseId);
                batch.selectionChanged();
                void load();
              },
            },
            `Velg alle åpne på siden (${open.length})`,
          )
        : null;
    return h(
      'div',
      {},
      chooseAll,
      h(
        'table',
        { class: 'cases' },
        h(
          'caption',
          {},
          `${counted(cases.length, 'sak', 'saker')}${index > 0 ? ` på side ${index + 1}` : ''}, oppdateres automatisk`,
        ),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            columns.map((t) => h('th', { scope: 'col' }, t)),
          ),
        ),
        h(
          'tbody',
          {},
          cases.map((c) => {
            const flags = caseFlags(c, now);
            const due = c.nextDueAt && c.status === 'open' ? timeLeft(c.nextDueAt, now) : null;
            return h(
              'tr',
              {
                class: needsAttention(flags) ? 'needs-attention' : undefined,
                'data-case': c.caseId,
              },
              choosable ? choose(c) : null,
              h(
                'th',
                { scope: 'row' },
                h(
                  'a',
                  { href: `/visualizer/saker/${encodeURIComponent(c.caseId)}` },
                  h('span', { class: 'visually-hidden' }, 'Sak '),
                  c.caseId,
                ),
              ),
              cell(
                'Status',
                h(
                  'ul',
                  { class: 'flags', 'data-testid': 'case-status' },
                  flags.length > 0
                    ? flags.map((f) =>
                        h(
                          'li',
                          { class: `flag flag-${f.kind}` },
                          h('span', { 'aria-hidden': 'true' }, `${f.icon} `),
                          f.text,
                        ),
                      )
                    : h(
                        'li',
                        { class: 'flag flag-on-track' },
                        h('span', { 'aria-hidden': 'true' }, '✓ '),
                        'I rute',
                      ),
                ),
              ),
              cell(
                'Steg',
                stepTitle(c),
                c.level === null ? null : h('span', { class: 'muted' }, ` · nivå ${c.level}`),
              ),
              cell('Stafettholder', holderText(c)),
              cell('Åpnet', c.openedAt ? formatDate(c.openedAt) : '–'),
              cell(
                'I steget',
                c.stepEnteredAt && c.status === 'open'
                  ? humanDuration(now - Date.parse(c.stepEnteredAt))
                  : '–',
              ),
              cell(
                'Neste frist',
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
              cell(
                'Meldt fra',
                c.referralSource
                  ? (config.referralSources[c.referralSource]?.title ?? c.referralSource)
                  : '–',
              ),
            );
          }),
        ),
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
              'data-nav': 'prev',
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
              'data-nav': 'next',
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
      holder: holder.value,
      mine: mine.checked,
      overdue: overdue.checked,
      status: status.value,
      sort: sort.value as Sort,
    });
    sessionStorage.setItem(CASE_FILTERS_KEY, JSON.stringify(filters));
    showSummary();
    cursor = null;
    pages = [null];
    void load();
  });
  await load();
  // Where a screen reader starts, without scrolling the header out of sight on a phone.
  main.focus({ preventScroll: true });
  setInterval(() => void load(), REFRESH_MS);
}

/** The filters in use, in words: "mine, åpne, neste frist først". */
function filterWords(
  f: Filters,
  staff: StaffName[],
  steps: Record<string, { title: string }>,
): string {
  const words: string[] = [];
  if (f.mine) words.push('mine');
  else if (f.holder)
    words.push(staff.find((p) => p.personId === f.holder)?.displayName ?? 'valgt stafettholder');
  if (f.level) words.push(`nivå ${f.level}`);
  if (f.step) words.push(steps[f.step]?.title ?? 'valgt steg');
  words.push(
    (
      {
        open: 'åpne',
        closed: 'avsluttede',
        handed_over: 'overførte',
        withdrawn: 'trukne',
      } as Record<string, string>
    )[f.status] ?? 'alle',
  );
  if (f.overdue) words.push('bare forfalte');
  const sort = SORTS.find(([value]) => value === f.sort);
  if (sort) words.push(sort[1].toLowerCase());
  return words.join(', ');
}

/** A selector for the focused case link, checkbox or button inside `within`, to focus it again. */
function focusKey(within: HTMLElement): string | null {
  const el = document.activeElement;
  if (!el || !within.contains(el)) return null;
  const nav = el.getAttribute('data-nav');
  if (nav) return `[data-nav="${nav}"]`;
  if (el.id === 'choose-page') return '#choose-page';
  const row = el.closest('tr[data-case]')?.getAttribute('data-case');
  if (!row) return null;
  return `tr[data-case="${CSS.escape(row)}"] ${el.tagName === 'INPUT' ? 'input' : 'a'}`;
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
