/**
 * Moving running cases onto a published version in a batch (issue 16): choose the cases, see a
 * dry run of each (where it would land, or why it would be refused), choose where cases in
 * removed steps continue, confirm with the count named, watch the progress, read the result per
 * case. Nothing moves before the confirmation; the API decides the dry run with the same step
 * the migration runs.
 */
import type { KommuneConfig } from '../../../config/types';
import { ApiError, request } from './api';
import { notice } from './chrome';
import { h, replace } from './dom';
import { counted } from './plural';

interface Result {
  caseId: string;
  outcome: 'migrated' | 'refused';
  fromVersion: number | null;
  fromStep: string | null;
  toStep?: string;
  reason?: string;
  nb?: string;
}
interface Report {
  migrated: number;
  refused: number;
  truncated: boolean;
  results: Result[];
}

/** Cases per request while moving, so progress shows and no request runs long. */
const CHUNK = 25;
/** The API names at most this many cases in one request; the list shows no more. */
const MAX_CASES = 1000;

export interface BatchMigrationOptions {
  /** `/api/v1/kommuner/{kommune}/config` */
  base: string;
  version: number;
  /** A step's title as the cases stand on it now, and in the new version. */
  before: (step: string) => string;
  after: (step: string) => string;
  /** Old step → new step as already chosen while reviewing the draft. */
  stepMapping?: Record<string, string>;
}

export function batchMigration(opts: BatchMigrationOptions): HTMLElement {
  const { base, version } = opts;
  const root = h('section', { class: 'batch-migration', 'aria-labelledby': 'batch-title' });
  const status = h('div', { class: 'batch-status', 'aria-live': 'polite' });
  const stepMapping: Record<string, string> = { ...opts.stepMapping };
  let cases: Result[] = [];
  const chosen = new Set<string>();
  let stepFilter = '';
  /** The dry run's answer per case, for the selection and mapping it was asked with. */
  let dry = new Map<string, Result>();
  let dryFresh = false;
  const boxes = new Map<string, HTMLInputElement>();
  const body = h('tbody', {});
  const confirmArea = h('div', { class: 'batch-confirm' });
  const fail = (err: unknown) =>
    replace(status, notice('error', err instanceof ApiError ? err.message : String(err)));

  const post = (payload: Record<string, unknown>) =>
    request<Report>(`${base}/migrations`, {
      method: 'POST',
      body: { toVersion: version, stepMapping, ...payload },
    });

  async function load(): Promise<void> {
    replace(root, h('p', { class: 'loading' }, 'Henter løpende saker på eldre versjoner …'));
    let report: Report;
    let target: KommuneConfig | undefined;
    try {
      // A dry run over every running case on an older version lists them, and moves none.
      [report, { config: target }] = await Promise.all([
        post({ filter: {}, dryRun: true }),
        request<{ config: KommuneConfig }>(`${base}?version=${version}`),
      ]);
    } catch (err) {
      return void replace(
        root,
        notice('error', err instanceof ApiError ? err.message : String(err)),
      );
    }
    cases = report.results.slice(0, MAX_CASES);
    if (cases.length === 0)
      return void replace(
        root,
        notice('info', `Ingen løpende saker på eldre versjoner. Alle følger versjon ${version}.`),
      );
    render(report.truncated || report.results.length > MAX_CASES, target);
  }

  function render(truncated: boolean, target: KommuneConfig | undefined): void {
    const steps = [...new Set(cases.map((c) => c.fromStep ?? ''))].filter(Boolean).sort();
    const removed = target ? steps.filter((s) => !Object.hasOwn(target.steps, s)) : [];
    const filter = h(
      'select',
      {
        id: 'batch-step-filter',
        onchange: (e: Event) => {
          stepFilter = (e.target as HTMLSelectElement).value;
          drawRows();
        },
      },
      h('option', { value: '' }, 'alle steg'),
      steps.map((s) => h('option', { value: s }, opts.before(s))),
    );
    const mapping =
      removed.length === 0
        ? null
        : h(
            'fieldset',
            { class: 'step-mapping' },
            h('legend', {}, 'Saker i steg som er fjernet: hvor skal de fortsette?'),
            removed.map((step) =>
              h(
                'div',
                {},
                h('label', { for: `batch-map-${step}` }, `«${opts.before(step)}» → `),
                h(
                  'select',
                  {
                    id: `batch-map-${step}`,
                    'data-step': step,
                    onchange: (e: Event) => {
                      const to = (e.target as HTMLSelectElement).value;
                      if (to) stepMapping[step] = to;
                      else delete stepMapping[step];
                      // The dry run's answers depend on the mapping: ask again.
                      if (chosen.size > 0) void dryRun();
                      else staleDryRun();
                    },
                  },
                  h('option', { value: '' }, 'ikke flytt (avvises)'),
                  Object.keys(target?.steps ?? {}).map((id) =>
                    h('option', { value: id, selected: stepMapping[step] === id }, opts.after(id)),
                  ),
                ),
              ),
            ),
          );
    replace(
      root,
      h('h3', { id: 'batch-title' }, `Flytt løpende saker til versjon ${version}`),
      h(
        'p',
        { class: 'hint' },
        'Velg sakene, prøvekjør, og bekreft. Ingenting flyttes før du bekrefter. Avsluttede saker er ikke med: bare løpende saker kan flyttes.',
      ),
      truncated
        ? notice(
            'info',
            `Listen viser de første ${MAX_CASES} sakene; flytt dem og hent listen igjen.`,
          )
        : null,
      h(
        'div',
        { class: 'batch-tools' },
        h('label', { for: 'batch-step-filter' }, 'Steg nå: '),
        filter,
        h(
          'button',
          { type: 'button', id: 'batch-all', onclick: () => selectVisible(true) },
          'Velg alle',
        ),
        h(
          'button',
          { type: 'button', id: 'batch-none', onclick: () => selectVisible(false) },
          'Velg ingen',
        ),
      ),
      mapping,
      h(
        'table',
        { class: 'cases batch-cases' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, 'Velg'),
            h('th', {}, 'Sak'),
            h('th', {}, 'Steg nå'),
            h('th', {}, 'Prøvekjøring'),
          ),
        ),
        body,
      ),
      h(
        'button',
        { type: 'button', id: 'batch-dry-run', onclick: () => void dryRun() },
        'Prøvekjør valgte saker',
      ),
      confirmArea,
      status,
    );
    drawRows();
  }

  function visible(): Result[] {
    return stepFilter ? cases.filter((c) => c.fromStep === stepFilter) : cases;
  }

  function drawRows(): void {
    boxes.clear();
    replace(
      body,
      visible().map((c) => {
        const box = h('input', {
          type: 'checkbox',
          id: `batch-case-${c.caseId}`,
          'data-case': c.caseId,
          checked: chosen.has(c.caseId),
          onchange: (e: Event) => {
            if ((e.target as HTMLInputElement).checked) chosen.add(c.caseId);
            else chosen.delete(c.caseId);
            staleDryRun();
          },
        });
        boxes.set(c.caseId, box);
        return h(
          'tr',
          { 'data-case': c.caseId },
          h('td', { 'data-label': 'Velg' }, box),
          h('td', { 'data-label': 'Sak' }, h('label', { for: box.id }, h('code', {}, c.caseId))),
          h(
            'td',
            { 'data-label': 'Steg nå' },
            `${c.fromStep ? opts.before(c.fromStep) : '–'} (versjon ${c.fromVersion ?? '–'})`,
          ),
          h('td', { 'data-label': 'Prøvekjøring', class: 'dry-result' }, dryText(c.caseId)),
        );
      }),
    );
  }

  function dryText(caseId: string): string {
    if (!chosen.has(caseId)) return '–';
    const r = dryFresh ? dry.get(caseId) : undefined;
    if (!r) return 'ikke prøvekjørt';
    return r.outcome === 'migrated'
      ? `flyttes til ${r.toStep ? opts.after(r.toStep) : '–'}`
      : `avvises: ${r.nb ?? r.reason}`;
  }

  function selectVisible(on: boolean): void {
    for (const c of visible()) {
      if (on) chosen.add(c.caseId);
      else chosen.delete(c.caseId);
    }
    staleDryRun();
    drawRows();
  }

  /** The selection or mapping changed: the dry run no longer says what would happen. */
  function staleDryRun(): void {
    dryFresh = false;
    replace(confirmArea);
    for (const row of body.querySelectorAll<HTMLElement>('tr[data-case]'))
      replace(row.querySelector('.dry-result')!, dryText(row.dataset.case!));
  }

  async function dryRun(): Promise<void> {
    staleDryRun();
    const ids = [...chosen];
    if (ids.length === 0) return void replace(status, notice('error', 'Velg minst én sak.'));
    replace(status, h('p', { class: 'loading' }, 'Prøvekjører …'));
    try {
      const r = await post({ caseIds: ids, dryRun: true });
      dry = new Map(r.results.map((x) => [x.caseId, x]));
    } catch (err) {
      return fail(err);
    }
    dryFresh = true;
    drawRows();
    const would = [...dry.values()].filter((x) => x.outcome === 'migrated').length;
    replace(
      status,
      notice(
        'info',
        `Prøvekjøring: ${counted(would, 'sak', 'saker')} kan flyttes, ${ids.length - would} ville blitt avvist. Ingenting er flyttet.`,
      ),
    );
    replace(
      confirmArea,
      h(
        'button',
        { type: 'button', id: 'batch-confirm', onclick: () => void migrate(ids) },
        `Ja, flytt ${counted(ids.length, 'sak', 'saker')} til versjon ${version}`,
      ),
    );
  }

  async function migrate(ids: string[]): Promise<void> {
    replace(confirmArea);
    for (const b of root.querySelectorAll<HTMLButtonElement | HTMLInputElement | HTMLSelectElement>(
      'button, input, select',
    ))
      b.disabled = true;
    const bar = h('progress', { id: 'batch-progress', max: ids.length, value: 0 });
    const said = h('p', {}, `Flytter: 0 av ${ids.length} …`);
    replace(status, h('label', { for: 'batch-progress' }, 'Framdrift'), bar, said);
    const done: Result[] = [];
    try {
      for (let i = 0; i < ids.length; i += CHUNK) {
        const r = await post({ caseIds: ids.slice(i, i + CHUNK) });
        done.push(...r.results);
        bar.value = done.length;
        said.textContent = `Flytter: ${done.length} av ${ids.length} …`;
      }
    } catch (err) {
      replace(
        status,
        notice(
          'error',
          `Stoppet etter ${done.length} av ${ids.length}: ${err instanceof ApiError ? err.message : String(err)}`,
        ),
        resultList(done),
      );
      return;
    }
    const moved = done.filter((x) => x.outcome === 'migrated').length;
    replace(
      status,
      notice(
        done.length - moved > 0 ? 'info' : 'ok',
        `${counted(moved, 'sak', 'saker')} flyttet til versjon ${version}, ${done.length - moved} avvist.`,
      ),
      resultList(done),
    );
  }

  function resultList(results: Result[]): HTMLElement {
    return h(
      'ul',
      { class: 'migration-results batch-results' },
      results.map((x) =>
        h(
          'li',
          { 'data-outcome': x.outcome, 'data-case': x.caseId },
          h('code', {}, x.caseId),
          x.outcome === 'migrated'
            ? ` flyttet (${x.fromStep ? opts.before(x.fromStep) : '–'} → ${x.toStep ? opts.after(x.toStep) : '–'})`
            : ` avvist: ${x.nb ?? x.reason}`,
        ),
      ),
    );
  }

  void load();
  return root;
}
