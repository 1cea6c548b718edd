/**
 * The process owner's part of the config view (issue 7): save the pasted draft, read what it
 * changes in plain Norwegian, see which running cases it would touch and how their timers would
 * move, publish it with a comment, and then move the running cases onto the new version. Shown
 * only to the `prosesseier` role; the API enforces the same rule.
 */
import type { KommuneConfig } from '../../../config/types';
import { ApiError, request } from './api';
import { notice } from './chrome';
import { h, replace } from './dom';
import { batchMigration } from './batch-migration';

interface Draft {
  revision: number;
  valid: boolean;
  errors: unknown[];
}
export interface Change {
  kind: 'added' | 'removed' | 'changed';
  area: string;
  path: string;
  /** The step the change belongs to (step, gate and timer changes). */
  step?: string;
  message: string;
}
interface TimerImpact {
  timerId: string;
  title?: string;
  change: string;
  dueBefore: string | null;
  dueAfter: string | null;
}
interface CaseImpact {
  caseId: string;
  step: string;
  configVersion: number;
  stepChange: 'removed' | 'changed' | 'unchanged';
  migration: { possible: true; toStep: string } | { possible: false; reason: string; nb?: string };
  timers: TimerImpact[];
}
export interface Impact {
  runningCases: number;
  unaffected: number;
  affected: CaseImpact[];
}
interface Published {
  version: number;
}
/** A saved, valid draft as reviewed: what it changes and what that does to running cases. */
export interface DraftReview {
  /** The draft text as saved. */
  text: string;
  changes: Change[];
  impact: Impact;
}

export const PROCESS_OWNER_ROLE = 'prosesseier';

const MARK: Record<Change['kind'], string> = {
  added: '+ ny',
  removed: '− fjernet',
  changed: '✎ endret',
};
const STEP_CHANGE: Record<CaseImpact['stepChange'], string> = {
  removed: 'steget fjernes',
  changed: 'steget endres',
  unchanged: 'steget er uendret',
};

const when = (iso: string | null) =>
  iso
    ? new Date(iso).toLocaleString('nb-NO', {
        timeZone: 'Europe/Oslo',
        dateStyle: 'short',
        timeStyle: 'short',
      })
    : '–';

export interface PublishPanelOptions {
  kommune: string;
  /** The draft text as it stands in the editor. */
  text: () => string;
  /** The published version the owner started from, so a publish by someone else meanwhile is caught. */
  baseVersion: number | undefined;
  /** Called with the review of a saved, valid draft, e.g. to draw it beside the published model. */
  onReviewed?: (review: DraftReview) => Promise<void> | void;
  /** After a publish: the comparison shown was of the draft now published. */
  onPublished?: (version: number) => void;
  /** The published model the draft would replace: running cases' steps are named by its titles. */
  published?: KommuneConfig;
}

export function publishPanel(opts: PublishPanelOptions): HTMLElement {
  const base = `/api/v1/kommuner/${encodeURIComponent(opts.kommune)}/config`;
  const review = h('div', { class: 'draft-review', 'aria-live': 'polite' });
  const outcome = h('div', { class: 'publish-outcome', 'aria-live': 'polite' });
  /** Old step → new step, chosen by the owner for steps the draft removes. */
  let stepMapping: Record<string, string> = {};
  /** Steps by their titles, never their ids: a step the cases stand on as published, a new one as drafted. */
  const before = (step: string) =>
    titleIn(opts.published, step) ?? titleIn(draftConfig(opts.text()), step) ?? step;
  const after = (step: string) =>
    titleIn(draftConfig(opts.text()), step) ?? titleIn(opts.published, step) ?? step;
  const fail = (where: HTMLElement, err: unknown) =>
    replace(where, notice('error', err instanceof ApiError ? err.message : String(err)));

  async function saveAndReview(): Promise<void> {
    replace(review, h('p', { class: 'loading' }, 'Lagrer utkastet …'));
    replace(outcome);
    const text = opts.text();
    let draft: Draft;
    try {
      draft = await request<Draft>(`${base}/draft`, {
        method: 'PUT',
        body: { text, ...(opts.baseVersion ? { baseVersion: opts.baseVersion } : {}) },
      });
    } catch (err) {
      return fail(review, err);
    }
    if (!draft.valid) {
      return void replace(
        review,
        notice(
          'error',
          `Utkastet er lagret, men har ${draft.errors.length} feil og kan ikke publiseres. Tegn og kontroller det for å se feilene.`,
        ),
      );
    }
    let changes: Change[];
    let impact: Impact;
    try {
      [{ changes }, impact] = await Promise.all([
        request<{ changes: Change[] }>(`${base}/diff`),
        request<Impact>(`${base}/impact`, { method: 'POST', body: {} }),
      ]);
    } catch (err) {
      return fail(review, err);
    }
    const comment = h('input', {
      id: 'publish-comment',
      type: 'text',
      required: true,
      maxlength: 2000,
      placeholder: 'Hvorfor endres modellen?',
    });
    const publishForm = h(
      'form',
      { class: 'publish-form', novalidate: true },
      h('label', { for: 'publish-comment' }, 'Kommentar (lagres i revisjonssporet)'),
      comment,
      h('button', { type: 'submit', id: 'publish' }, 'Publiser'),
    );
    publishForm.addEventListener('submit', (e) => {
      e.preventDefault();
      if (!comment.value.trim())
        return void replace(
          outcome,
          notice('error', 'Skriv hvorfor modellen endres før du publiserer.'),
        );
      void publish(draft.revision, comment.value.trim());
    });
    const impactBox = h('div', { class: 'impact-box', 'aria-live': 'polite' });
    replace(impactBox, impactTable(impact, before, after));
    // A step mapping changes what a migration would do: the preview is asked for again with it.
    const remap = async () => {
      try {
        const mapped = await request<Impact>(`${base}/impact`, {
          method: 'POST',
          body: Object.keys(stepMapping).length > 0 ? { stepMapping } : {},
        });
        replace(impactBox, impactTable(mapped, before, after));
      } catch (err) {
        fail(impactBox, err);
      }
    };
    replace(review, changeList(changes), impactBox, mappingForm(impact, remap), publishForm);
    await opts.onReviewed?.({ text, changes, impact });
  }

  async function publish(revision: number, comment: string): Promise<void> {
    replace(outcome, h('p', { class: 'loading' }, 'Publiserer …'));
    let published: Published;
    try {
      published = await request<Published>(`${base}/publish`, {
        method: 'POST',
        body: { comment, expectedRevision: revision },
      });
    } catch (err) {
      return fail(outcome, err);
    }
    // The comparison was of the draft now published: it and its button are done.
    opts.onPublished?.(published.version);
    replace(
      review,
      notice(
        'info',
        `Utkastet er publisert som versjon ${published.version}. Lagre et nytt utkast for å sammenligne igjen.`,
      ),
    );
    replace(
      outcome,
      notice(
        'ok',
        `Publisert som versjon ${published.version}. Nye saker starter på den; løpende saker beholder sin versjon til de flyttes.`,
      ),
      h(
        'button',
        {
          type: 'button',
          id: 'migrate',
          onclick: (e: Event) => {
            (e.currentTarget as HTMLButtonElement).disabled = true;
            // Nothing moves here: the batch flow asks for a selection, a dry run and a confirmation.
            replace(
              outcome.querySelector<HTMLElement>('.migration-report')!,
              batchMigration({
                base,
                version: published.version,
                before,
                after,
                stepMapping: { ...stepMapping },
              }),
            );
          },
        },
        `Velg løpende saker å flytte til versjon ${published.version}`,
      ),
      h('div', { class: 'migration-report', 'aria-live': 'polite' }),
    );
  }

  /** For every removed step that running cases sit in: where those cases continue. */
  function mappingForm(impact: Impact, changed: () => Promise<void>): HTMLElement | null {
    stepMapping = {};
    const removed = [
      ...new Set(impact.affected.filter((c) => c.stepChange === 'removed').map((c) => c.step)),
    ];
    if (removed.length === 0) return null;
    const steps = Object.keys(draftConfig(opts.text())?.steps ?? {});
    return h(
      'fieldset',
      { class: 'step-mapping' },
      h('legend', {}, 'Saker i steg som fjernes: hvor skal de fortsette når de flyttes?'),
      removed.map((step) => {
        const select = h(
          'select',
          {
            id: `map-${step}`,
            'data-step': step,
            onchange: (e: Event) => {
              setMapping(step, (e.target as HTMLSelectElement).value);
              void changed();
            },
          },
          h('option', { value: '' }, 'ikke flytt (avvises)'),
          steps.map((id) => h('option', { value: id }, after(id))),
        );
        return h('div', {}, h('label', { for: `map-${step}` }, `«${before(step)}» → `), select);
      }),
    );
  }

  function setMapping(step: string, target: string): void {
    if (target) stepMapping[step] = target;
    else delete stepMapping[step];
  }

  return h(
    'section',
    { class: 'panel publish-panel', 'aria-labelledby': 'publish-title' },
    h('h2', { id: 'publish-title' }, 'Publisering'),
    h(
      'p',
      { class: 'hint' },
      'Lagre utkastet for å se hva som endres, hvilke løpende saker som berøres, og publisere det.',
    ),
    h(
      'button',
      { type: 'button', id: 'save-draft', onclick: () => void saveAndReview() },
      'Lagre utkast og vis endringer',
    ),
    review,
    outcome,
  );
}

function draftConfig(text: string): KommuneConfig | undefined {
  try {
    const config = JSON.parse(text) as KommuneConfig;
    return config && typeof config.steps === 'object' && config.steps ? config : undefined;
  } catch {
    return undefined;
  }
}

function titleIn(config: KommuneConfig | undefined, step: string): string | undefined {
  const title = config && Object.hasOwn(config.steps, step) ? config.steps[step]?.title : undefined;
  return typeof title === 'string' && title ? title : undefined;
}

function changeList(changes: Change[]): HTMLElement {
  if (changes.length === 0) return notice('info', 'Utkastet er likt den publiserte versjonen.');
  return h(
    'div',
    { class: 'config-diff' },
    h('h3', {}, `Endringer (${changes.length})`),
    h(
      'ul',
      {},
      changes.map((c) =>
        h(
          'li',
          { 'data-kind': c.kind, title: c.path },
          h('span', { class: `diff-mark diff-${c.kind}` }, MARK[c.kind]),
          ' ',
          c.message,
        ),
      ),
    ),
  );
}

function impactTable(
  impact: Impact,
  before: (step: string) => string,
  after: (step: string) => string,
): HTMLElement {
  const heading = h(
    'h3',
    {},
    `Løpende saker: ${impact.runningCases}, berørt ved flytting: ${impact.affected.length}`,
  );
  if (impact.affected.length === 0) return h('div', { class: 'impact' }, heading);
  return h(
    'div',
    { class: 'impact' },
    heading,
    h(
      'table',
      { class: 'cases' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'Sak'),
          h('th', {}, 'Steg'),
          h('th', {}, 'Endring'),
          h('th', {}, 'Flytting'),
          h('th', {}, 'Tidsfrister'),
        ),
      ),
      h(
        'tbody',
        {},
        impact.affected.map((c) =>
          h(
            'tr',
            { 'data-case': c.caseId },
            // Labelled, as the case list's cells are: on a phone each row is a card.
            h('td', { 'data-label': 'Sak' }, h('code', {}, c.caseId)),
            h('td', { 'data-label': 'Steg' }, `${before(c.step)} (versjon ${c.configVersion})`),
            h('td', { 'data-label': 'Endring' }, STEP_CHANGE[c.stepChange]),
            h(
              'td',
              { 'data-label': 'Flytting' },
              c.migration.possible
                ? `mulig (til ${after(c.migration.toStep)})`
                : `avvist: ${c.migration.nb ?? c.migration.reason}`,
            ),
            h(
              'td',
              { 'data-label': 'Tidsfrister' },
              c.timers
                .filter((t) => t.change !== 'unchanged')
                .map((t) =>
                  h(
                    'div',
                    { class: 'timer-change' },
                    `${t.title ?? t.timerId}: ${when(t.dueBefore)} → ${when(t.dueAfter)}`,
                  ),
                ),
            ),
          ),
        ),
      ),
    ),
  );
}
