/**
 * The config view: the published sluice model of the viewer's kommune as a diagram, or an
 * unsaved draft pasted in, drawn as far as it can be, next to every validation error with its
 * JSON path and line — so a process owner sees the model before anything is published. A process
 * owner's saved draft is drawn beside the published model, with its changes marked on both.
 */
import type { DraftDiagramResult } from '../diagram-types';
import { ApiError, apiPath, request } from './api';
import { CASE_FILTERS_KEY } from './case-list-page';
import { notice, renderChrome } from './chrome';
import { loadConfig } from './config-cache';
import { diagramOf } from './diagram-cache';
import { renderDiagram } from './diagram-view';
import { draftComparison } from './draft-comparison';
import { h, replace } from './dom';
import type { Viewer } from './session';
import { stepDetails } from './step-details';
import { PROCESS_OWNER_ROLE, publishPanel, type DraftReview } from './publish-panel';
import { versionsPanel } from './versions-panel';
import { auditPanel } from './audit-panel';
import { incidentList, type Incident } from './incident-list';
import type { JsonEditor } from './json-editor';
import type { KommuneConfig } from '../../../config/types';

export async function configPage(viewer: Viewer): Promise<void> {
  const result = h('div', { 'aria-live': 'polite' });
  const published = await loadConfig(viewer.kommune).catch((err: unknown) => {
    // Drafts can still be checked when the published model cannot be read.
    replace(
      result,
      notice('error', `Den publiserte modellen kunne ikke hentes: ${(err as Error).message}`),
    );
    return null;
  });
  // The editor loads with the page's first paint; its text is read when a button needs it.
  const editorBox = h('div', { class: 'json-editor' });
  let editor: JsonEditor | undefined;
  const editorReady = import('./json-editor').then(({ createJsonEditor }) => {
    editor = createJsonEditor(editorBox, {
      id: 'draft',
      labelledBy: 'draft-label',
      describedBy: 'draft-hint',
    });
    return editor;
  });
  const draftText = () => editor?.text() ?? '';
  const timing = h('p', { class: 'muted', id: 'render-time' });

  const draftForm = h(
    'form',
    { class: 'draft', novalidate: true },
    // The editor's text area names itself by this label (aria-labelledby); a click focuses it.
    h(
      'label',
      { id: 'draft-label', onclick: () => void editorReady.then((e) => e.goTo(1)) },
      'Utkast (JSON)',
    ),
    h(
      'p',
      { class: 'hint', id: 'draft-hint' },
      viewer.role === PROCESS_OWNER_ROLE
        ? 'Lim inn en slusemodell for din kommune. Tegn og kontroller den her; lagre og publiser den under «Publisering».'
        : 'Lim inn en slusemodell for din kommune. Den lagres ikke og publiseres ikke; den bare tegnes og kontrolleres.',
    ),
    editorBox,
    h(
      'div',
      { class: 'form-actions' },
      h('button', { type: 'submit' }, 'Tegn og kontroller utkastet'),
      published && [
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            onclick: () =>
              void editorReady.then((e) => {
                e.setText(JSON.stringify(published.config, null, 2));
                e.goTo(1);
              }),
          },
          'Start fra publisert versjon',
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            onclick: () =>
              void draw({ config: published.config }, `Publisert versjon ${published.version}`),
          },
          'Vis publisert versjon igjen',
        ),
      ],
    ),
  );

  async function draw(
    body: { config: unknown } | { text: string },
    heading: string,
  ): Promise<void> {
    replace(result, h('p', { class: 'loading' }, 'Tegner …'));
    const requested = performance.now();
    let answer: DraftDiagramResult;
    try {
      answer = await request<DraftDiagramResult>('/visualizer/api/diagram', {
        method: 'POST',
        body,
      });
    } catch (err) {
      return void replace(result, failure(err));
    }
    const started = performance.now();
    // A drawn draft's problems are marked on their lines in the editor; another drawing clears them.
    editor?.mark('text' in body ? answer.errors : []);
    const config = 'config' in body ? (body.config as KommuneConfig) : safeParse(body.text);
    const details = h('div', { class: 'step-details', 'aria-live': 'polite' });
    // The published model shows its running cases (the live model) to leaders and the process owner.
    const live = heading.startsWith('Publisert') && mayReadLive(viewer, published?.config);
    let counts: Map<string, { running: number; late: number }> | undefined;
    const view = renderDiagram(answer.diagram, {
      label: `Diagram: ${answer.kommune.name ?? 'utkast'}`,
      onSelect: (n) =>
        replace(
          details,
          stepDetails(n, answer.diagram, config),
          counts && n.kind !== 'start' ? casesHere(n.id, counts.get(n.id)) : null,
        ),
    });
    const liveLine = h('p', { class: 'muted', id: 'live-model' });
    const incidents = h('div', { 'aria-live': 'polite' });
    replace(
      result,
      h('h2', {}, heading, answer.kommune.name ? ` – ${answer.kommune.name}` : ''),
      answer.valid
        ? notice('ok', 'Gyldig: ingen feil funnet.')
        : errorList(answer, 'text' in body ? editor : undefined),
      live ? liveLine : null,
      view.element,
      details,
      incidents,
      timing,
    );
    view.update({});
    if (live)
      void request<LiveModel>(apiPath(viewer.kommune, 'live')).then(
        (model) => {
          counts = new Map(model.steps.map((s) => [s.step, s]));
          const late = model.steps.reduce((n, s) => n + s.late, 0);
          liveLine.textContent = `Åpne saker nå: ${model.total}${late > 0 ? `, ${late} forfalt` : ''} (tallene står på hvert steg; velg et steg for å se sakene).`;
          view.update({ counts });
          replace(
            incidents,
            incidentList(
              model.incidents,
              model.incidentsTruncated,
              published?.config,
              viewer.role !== PROCESS_OWNER_ROLE,
            ),
          );
        },
        () => (liveLine.textContent = 'Tallene for åpne saker kunne ikke hentes nå.'),
      );
    // Layout happens on the server; this is the browser's share: building and painting the SVG.
    requestAnimationFrame(() => {
      const ms = performance.now() - started;
      const total = performance.now() - requested;
      timing.textContent = `Tegnet ${answer.diagram.nodes.length} steg på ${Math.round(ms)} ms i nettleseren (${Math.round(total)} ms med utlegging på serveren).`;
      document.body.dataset.renderMs = String(ms);
      document.body.dataset.totalMs = String(total);
    });
  }

  /** The saved draft beside the published model, its changes marked on both. */
  async function compare({ text, changes, impact }: DraftReview): Promise<void> {
    if (!published) return draw({ text }, 'Utkast');
    replace(
      result,
      h('p', { class: 'loading' }, 'Tegner utkastet ved siden av den publiserte versjonen …'),
    );
    try {
      const [before, after] = await Promise.all([
        diagramOf(viewer.kommune, published.version, published.config),
        request<DraftDiagramResult>('/visualizer/api/diagram', { method: 'POST', body: { text } }),
      ]);
      replace(
        result,
        draftComparison({
          published: { version: published.version, diagram: before, config: published.config },
          draft: { diagram: after, config: safeParse(text) },
          changes,
          impact,
        }),
      );
    } catch (err) {
      replace(result, failure(err));
    }
  }

  draftForm.addEventListener('submit', (e) => {
    e.preventDefault();
    void draw({ text: draftText() }, 'Utkast');
  });

  // The diagram comes first; the draft box is one click away and opens by keyboard too.
  const ownerPanel =
    viewer.role === PROCESS_OWNER_ROLE &&
    publishPanel({
      kommune: viewer.kommune,
      text: draftText,
      baseVersion: published?.version,
      published: published?.config,
      onReviewed: compare,
      onPublished: (version) =>
        replace(
          result,
          notice('ok', `Versjon ${version} er publisert.`),
          // The diagram below the page's heading is still the version the page was opened on.
          h(
            'button',
            { type: 'button', class: 'secondary', onclick: () => location.reload() },
            `Vis versjon ${version} i diagrammet`,
          ),
        ),
    });
  const draftBox = h(
    'details',
    { class: 'panel draft-box' },
    h('summary', {}, 'Lim inn et utkast som ikke er publisert'),
    draftForm,
    ownerPanel,
  );
  const owner = viewer.role === PROCESS_OWNER_ROLE;
  const versions = owner ? versionsPanel(viewer.kommune) : null;
  const audit = owner ? auditPanel(viewer.kommune) : null;
  renderChrome(viewer, 'konfig', h('h1', {}, 'Slusemodell'), draftBox, versions, audit, result);
  if (published) await draw({ config: published.config }, `Publisert versjon ${published.version}`);
}

interface LiveModel {
  total: number;
  steps: { step: string; running: number; late: number }[];
  incidents: Incident[];
  incidentsTruncated: boolean;
}

/** Leaders (who see the whole kommune) and the process owner read the live model. */
function mayReadLive(viewer: Viewer, config: KommuneConfig | undefined): boolean {
  if (viewer.role === PROCESS_OWNER_ROLE) return true;
  const role =
    config && Object.hasOwn(config.roles, viewer.role) ? config.roles[viewer.role] : undefined;
  return role?.sees === 'kommune';
}

/** "N open cases here", and a way to the case list filtered to this step. */
function casesHere(
  step: string,
  count: { running: number; late: number } | undefined,
): HTMLElement {
  const running = count?.running ?? 0;
  if (running === 0) return h('p', { class: 'muted' }, 'Ingen åpne saker står her nå.');
  return h(
    'p',
    {},
    `${running} åpne saker står her nå${count!.late > 0 ? `, ${count!.late} av dem forfalt` : ''}. `,
    h(
      'a',
      {
        href: '/visualizer/saker',
        // The list keeps its filters in the tab's session, not in the address.
        onclick: () => sessionStorage.setItem(CASE_FILTERS_KEY, JSON.stringify({ step })),
      },
      'Vis sakene',
    ),
  );
}

function failure(err: unknown): HTMLElement {
  return notice('error', err instanceof ApiError ? err.message : String(err));
}

/** Every problem with its JSON path; with the draft's editor, each line a button that goes there. */
function errorList(answer: DraftDiagramResult, editor?: JsonEditor): HTMLElement {
  const where = (line: number, column: number | undefined) => {
    const text = `linje ${line}${column ? `, kolonne ${column}` : ''}`;
    return editor
      ? h(
          'button',
          { type: 'button', class: 'link', onclick: () => editor.goTo(line, column) },
          text,
        )
      : text;
  };
  return h(
    'div',
    { class: 'notice notice-error', role: 'alert' },
    h('strong', {}, `⚠ ${answer.errors.length} feil – modellen kan ikke publiseres slik den er`),
    h(
      'ol',
      { class: 'config-errors' },
      answer.errors.map((e) =>
        // Bokmål for the process owner; the English (for a developer) on hover.
        h(
          'li',
          { title: `${e.code}: ${e.message}${e.hint ? ` (${e.hint})` : ''}` },
          h('code', {}, e.path || '(hele dokumentet)'),
          e.line ? [' (', where(e.line, e.column), ')'] : '',
          ': ',
          e.nb,
        ),
      ),
    ),
  );
}

function safeParse(text: string): KommuneConfig | null {
  try {
    return JSON.parse(text) as KommuneConfig;
  } catch {
    return null;
  }
}
