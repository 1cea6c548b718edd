/**
 * Changing many cases at once from the case list (#16): a new holder for the chosen cases, or
 * closing them. The person picks cases in the list, an event their role may send that hands a
 * case over or ends it, and fills in its form once; a dry run shows what each case would do (the
 * engine decides, nothing is sent), a confirmation names the count, the cases go in small chunks
 * with a progress bar, and each case's result is listed. Only the cases the dry run passed are
 * sent.
 */
import type { KommuneConfig, Transition } from '../../../config/types';
import { ApiError, apiPath, request } from './api';
import { notice } from './chrome';
import { caseTable } from './case-table';
import { h, replace } from './dom';
import { counted } from './plural';
import { buildSchemaForm, type SchemaForm } from './schema-form';

interface Result {
  caseId: string;
  outcome: 'sent' | 'wouldSend' | 'refused';
  fromStep: string | null;
  toStep: string | null;
  status: string | null;
  code?: string;
  nb?: string;
}

/** Cases per request: the API takes up to 100; smaller chunks let the progress move. */
const CHUNK = 10;
/** The API's bound on one dry run; the list shows at most a page anyway. */
const MAX_DRY_RUN = 100;

type Kind = 'handover' | 'closing';

/** The events `role` may send that hand a case over or end it, in the config's order. */
export function batchEvents(
  config: KommuneConfig,
  role: string,
): Array<{ type: string; title: string; kind: Kind }> {
  const transitions = new Map<string, Transition[]>();
  const add = (on: Record<string, Transition | Transition[]> | undefined) => {
    for (const [type, t] of Object.entries(on ?? {}))
      transitions.set(type, [...(transitions.get(type) ?? []), ...(Array.isArray(t) ? t : [t])]);
  };
  for (const step of Object.values(config.steps)) add(step.on);
  for (const shared of Object.values(config.sharedEvents ?? {})) add(shared.on);
  const out: Array<{ type: string; title: string; kind: Kind }> = [];
  for (const [type, ev] of Object.entries(config.events)) {
    if (!ev.roles.includes(role)) continue;
    const ts = transitions.get(type) ?? [];
    if (ts.some((t) => t.target !== undefined && config.steps[t.target]?.final))
      out.push({ type, title: ev.title, kind: 'closing' });
    else if (ts.some((t) => t.effects?.some((e) => e.type === 'handover')))
      out.push({ type, title: ev.title, kind: 'handover' });
  }
  return out;
}

export interface BatchChanges {
  element: HTMLElement;
  /** The viewer's role may send some handover or closing: the list offers a choice of cases. */
  available: boolean;
  /** The list's selection changed: the count shown, and any dry run, are for the old one. */
  selectionChanged(): void;
}

export function batchChanges(opts: {
  kommune: string;
  config: KommuneConfig;
  role: string;
  selected: Set<string>;
  stepTitle: (step: string) => string;
  /** After a run: the list shows the cases as they now stand. */
  onDone: () => void;
}): BatchChanges {
  const events = batchEvents(opts.config, opts.role);
  if (events.length === 0)
    return { element: h('div', {}), available: false, selectionChanged: () => undefined };
  // Folded like the filters: on a phone the cases come first; the fold's title counts the choice.
  const element = h('details', { class: 'batch-changes' });
  const summaryCount = h('span', { class: 'muted' });
  const count = h('p', { id: 'batch-count' });
  const choice = h(
    'select',
    { id: 'batch-event' },
    h('option', { value: '' }, 'Velg hva som skal gjøres'),
    events.map((e) =>
      h(
        'option',
        { value: e.type },
        `${e.kind === 'closing' ? 'Avslutt' : 'Ny stafettholder'}: ${e.title}`,
      ),
    ),
  );
  const formBox = h('div', {});
  const outcome = h('div', { 'aria-live': 'polite', class: 'batch-status' });
  let form: SchemaForm | null = null;
  let dry: Result[] | null = null;

  const post = (type: string, payload: unknown, caseIds: string[], dryRun: boolean) =>
    request<{ results: Result[] }>(apiPath(opts.kommune, 'batch-events'), {
      method: 'POST',
      body: { caseIds, type, payload, ...(dryRun ? { dryRun: true } : {}) },
    });
  const fail = (err: unknown) =>
    replace(outcome, notice('error', err instanceof ApiError ? err.message : String(err)));
  const eventTitle = (type: string) => events.find((e) => e.type === type)?.title ?? type;

  function showCount(): void {
    const n = opts.selected.size;
    count.textContent =
      n === 0
        ? 'Ingen saker er valgt. Velg saker i listen under.'
        : `${counted(n, 'sak', 'saker')} valgt.`;
    summaryCount.textContent = ` · ${n} valgt`;
  }

  function selectionChanged(): void {
    showCount();
    if (dry) {
      dry = null;
      replace(outcome, notice('info', 'Utvalget er endret: prøvekjør på nytt før noe sendes.'));
    }
  }

  function chooseEvent(): void {
    dry = null;
    replace(outcome);
    const type = choice.value;
    if (!type) return void replace(formBox);
    const schema = opts.config.events[type]?.payload ?? { type: 'object', properties: {} };
    form = buildSchemaForm(schema as Record<string, unknown>, {
      idPrefix: `batch-${type}`,
      submitLabel: 'Prøvekjør valgte saker',
      onSubmit: (f) => void dryRun(type, f),
    });
    replace(formBox, form.element);
  }

  async function dryRun(type: string, f: SchemaForm): Promise<void> {
    const ids = [...opts.selected];
    if (ids.length === 0) return void replace(outcome, notice('error', 'Velg minst én sak først.'));
    if (ids.length > MAX_DRY_RUN)
      return void replace(
        outcome,
        notice('error', `Velg høyst ${MAX_DRY_RUN} saker om gangen; ${ids.length} er valgt.`),
      );
    // What the dry run was asked with is what is sent, whatever the form says by then.
    const payload = f.value();
    f.setBusy(true);
    try {
      dry = (await post(type, payload, ids, true)).results;
    } catch (err) {
      return void fail(err);
    } finally {
      f.setBusy(false);
    }
    const passing = dry.filter((r) => r.outcome === 'wouldSend').map((r) => r.caseId);
    replace(
      outcome,
      h('h3', {}, 'Prøvekjøring – ingenting er sendt ennå'),
      resultTable(dry),
      passing.length === 0
        ? notice('info', 'Ingen av de valgte sakene kan få denne hendelsen nå.')
        : h(
            'button',
            {
              type: 'button',
              id: 'batch-send',
              onclick: () => void send(type, payload, passing),
            },
            `Ja, send «${eventTitle(type)}» til ${counted(passing.length, 'sak', 'saker')}`,
          ),
    );
  }

  async function send(type: string, payload: unknown, ids: string[]): Promise<void> {
    const bar = h('progress', { id: 'batch-changes-progress', max: ids.length, value: 0 });
    const said = h('p', {}, `0 av ${ids.length}`);
    replace(outcome, h('label', { for: 'batch-changes-progress' }, 'Framdrift'), bar, said);
    const done: Result[] = [];
    try {
      for (let i = 0; i < ids.length; i += CHUNK) {
        done.push(...(await post(type, payload, ids.slice(i, i + CHUNK), false)).results);
        bar.value = done.length;
        said.textContent = `${done.length} av ${ids.length}`;
      }
    } catch (err) {
      fail(err);
      if (done.length === 0) return;
    }
    dry = null;
    const sent = done.filter((r) => r.outcome === 'sent').length;
    replace(
      outcome,
      h('h3', {}, `Sendt til ${counted(sent, 'sak', 'saker')} av ${ids.length}`),
      resultTable(done),
    );
    opts.selected.clear();
    showCount();
    opts.onDone();
  }

  function resultTable(results: Result[]): HTMLElement {
    return caseTable(
      'batch-results',
      ['Sak', 'Steg nå', 'Resultat'],
      results.map((r) => ({
        caseId: r.caseId,
        head: r.caseId,
        cells: [r.fromStep ? opts.stepTitle(r.fromStep) : '–', resultText(r)],
        data: { outcome: r.outcome },
      })),
    );
  }

  function resultText(r: Result): string {
    if (r.outcome === 'refused') return `Avvist: ${r.nb ?? r.code ?? 'ukjent grunn'}`;
    const closed = r.status !== null && r.status !== 'open';
    const moved = r.toStep !== null && r.toStep !== r.fromStep;
    const to = opts.stepTitle(r.toStep ?? '');
    if (r.outcome === 'sent')
      return closed
        ? `Sendt: avsluttet i «${to}»`
        : moved
          ? `Sendt: gikk til «${to}»`
          : 'Sendt: ble i steget';
    return closed
      ? `Kan sendes: avsluttes i «${to}»`
      : moved
        ? `Kan sendes: går til «${to}»`
        : 'Kan sendes: blir i steget';
  }

  choice.addEventListener('change', chooseEvent);
  replace(
    element,
    h('summary', {}, 'Endre mange saker', summaryCount),
    h(
      'p',
      { class: 'hint' },
      'Velg saker i listen, og hva som skal skje med dem. Prøvekjør først: ingenting sendes før du bekrefter.',
    ),
    count,
    h('div', { class: 'field' }, h('label', { for: 'batch-event' }, 'Hva skal gjøres'), choice),
    formBox,
    outcome,
  );
  showCount();
  return { element, available: true, selectionChanged };
}
