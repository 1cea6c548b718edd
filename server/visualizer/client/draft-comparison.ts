/**
 * The published model and a saved draft drawn side by side (issue 7), each in its own pane with
 * its own zoom and scroll. Changes are said in words and icons on the steps themselves: on the
 * draft, new ("+ Ny") and changed ("✎ Endret") steps; on the published model, steps the draft
 * removes ("− Fjernes") and steps where running cases sit that a migration would touch.
 */
import type { KommuneConfig } from '../../../config/types';
import type { DraftDiagramResult } from '../diagram-types';
import { renderDiagram } from './diagram-view';
import { h, replace, s } from './dom';
import type { Change, Impact } from './publish-panel';
import { stepDetails } from './step-details';

export interface DraftComparisonInput {
  published: { version: number; diagram: DraftDiagramResult; config: KommuneConfig };
  draft: { diagram: DraftDiagramResult; config: KommuneConfig | null };
  changes: Change[];
  impact: Impact;
}

const StepMarks = {
  added: { text: '+ Ny', says: 'nytt steg i utkastet' },
  changed: { text: '✎ Endret', says: 'endret i utkastet' },
  removed: { text: '− Fjernes', says: 'utkastet fjerner steget' },
} as const;
type StepMark = keyof typeof StepMarks;

/** Below this the steps' text is too small to read; a wider diagram scrolls in its pane instead. */
const LEGIBLE_ZOOM = 0.8;

const cases = (n: number) => `${n} ${n === 1 ? 'sak' : 'saker'}`;
const steps = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many} steg`;

export function draftComparison(input: DraftComparisonInput): HTMLElement {
  const { changes, impact } = input;
  const stepChanges = changes.filter((c) => c.area === 'step');
  const added = new Set(stepChanges.filter((c) => c.kind === 'added').flatMap((c) => c.step ?? []));
  const removed = new Set(
    stepChanges.filter((c) => c.kind === 'removed').flatMap((c) => c.step ?? []),
  );
  const draftMarks = new Map<string, StepMark>();
  for (const c of changes) {
    if (c.step !== undefined && !removed.has(c.step))
      draftMarks.set(c.step, added.has(c.step) ? 'added' : 'changed');
  }
  const publishedMarks = new Map<string, StepMark>([...removed].map((step) => [step, 'removed']));
  // Cases on an older version may sit in a step the published version no longer has.
  const publishedSteps = new Set(input.published.diagram.diagram.nodes.map((n) => n.id));
  const touched = impact.affected.filter((c) => publishedSteps.has(c.step));
  const count = (marks: Map<string, StepMark>, kind: StepMark) =>
    [...marks.values()].filter((m) => m === kind).length;

  return h(
    'section',
    { class: 'draft-comparison', 'aria-labelledby': 'comparison-title' },
    h(
      'h2',
      { id: 'comparison-title' },
      `Utkastet ved siden av publisert versjon ${input.published.version}`,
    ),
    legend(),
    h(
      'div',
      { class: 'comparison-panes' },
      pane({
        id: 'compare-published',
        heading: `Publisert versjon ${input.published.version}`,
        summary: [
          `${count(publishedMarks, 'removed')} steg fjernes`,
          touched.length > 0
            ? `${cases(touched.length)} i ${new Set(touched.map((c) => c.step)).size} steg berøres ved flytting`
            : 'ingen løpende saker berøres',
        ],
        ...input.published,
        marks: publishedMarks,
        changes,
        affected: touched,
      }),
      pane({
        id: 'compare-draft',
        heading: 'Utkast',
        summary: [
          steps(count(draftMarks, 'added'), 'nytt', 'nye'),
          steps(count(draftMarks, 'changed'), 'endret', 'endrede'),
        ],
        ...input.draft,
        marks: draftMarks,
        changes,
        affected: [],
      }),
    ),
  );
}

interface PaneInput {
  id: string;
  heading: string;
  summary: string[];
  diagram: DraftDiagramResult;
  config: KommuneConfig | null;
  marks: Map<string, StepMark>;
  changes: Change[];
  /** Running cases to mark on this pane's steps. */
  affected: Impact['affected'];
}

function pane(p: PaneInput): HTMLElement {
  const d = p.diagram.diagram;
  const details = h('div', { class: 'step-details', 'aria-live': 'polite' });
  const view = renderDiagram(d, {
    label: `Diagram: ${p.heading}`,
    legibleZoom: LEGIBLE_ZOOM,
    onSelect: (n) =>
      replace(
        details,
        stepDetails(n, d, p.config),
        stepNotes(
          p.changes.filter((c) => c.step === n.id),
          p.affected.filter((c) => c.step === n.id),
        ),
      ),
  });
  view.update({});
  for (const node of Array.from(view.element.querySelectorAll<SVGGElement>('g.node[data-step]'))) {
    const step = node.dataset.step!;
    markNode(node, p.marks.get(step), p.affected.filter((c) => c.step === step).length);
  }
  return h(
    'section',
    { class: `comparison-pane ${p.id}`, 'aria-labelledby': `${p.id}-title` },
    h('h3', { id: `${p.id}-title` }, p.heading),
    h('p', { class: 'pane-summary' }, p.summary.join(' · ')),
    view.element,
    details,
  );
}

/** Writes a step's mark into its status line (left) and its affected cases (right). */
function markNode(node: SVGGElement, mark: StepMark | undefined, affectedCases: number): void {
  const said: string[] = [];
  if (mark) {
    node.dataset.change = mark;
    node.append(
      s('text', { class: `node-change diff-${mark}`, x: 10, y: 17 }, StepMarks[mark].text),
    );
    said.push(StepMarks[mark].says);
  }
  if (affectedCases > 0) {
    const width = Number(node.querySelector('rect.node-box')?.getAttribute('width') ?? 0);
    node.dataset.cases = String(affectedCases);
    node.append(
      s(
        'text',
        { class: 'node-cases', x: width - 10, y: 17, 'text-anchor': 'end' },
        `● ${cases(affectedCases)}`,
      ),
    );
    said.push(`${cases(affectedCases)} her berøres ved flytting`);
  }
  if (said.length > 0) {
    // The name starts with every text the node shows, marks included, so speech-input users can
    // say what they see (axe: label-content-name-mismatch); a step id is never what it shows.
    const shown = [...node.querySelectorAll('text')]
      .map((t) => t.textContent!.trim())
      .filter(Boolean)
      .join(' ');
    node.setAttribute('aria-label', `${shown}. ${said.join('; ')}`);
  }
}

/** What the draft does to a selected step, and which running cases sit in it. */
function stepNotes(changes: Change[], affected: Impact['affected']): HTMLElement | null {
  if (changes.length === 0 && affected.length === 0) return null;
  return h(
    'div',
    { class: 'step-notes' },
    changes.length > 0
      ? [
          h('h4', {}, 'I utkastet'),
          h(
            'ul',
            {},
            changes.map((c) => h('li', {}, c.message)),
          ),
        ]
      : null,
    affected.length > 0
      ? [
          h('h4', {}, `Løpende saker her som berøres ved flytting (${affected.length})`),
          h(
            'ul',
            {},
            affected.map((c) =>
              h(
                'li',
                {},
                h('code', {}, c.caseId),
                c.migration.possible
                  ? ` – kan flyttes til ${c.migration.toStep}`
                  : ` – avvises: ${c.migration.nb ?? c.migration.reason}`,
              ),
            ),
          ),
        ]
      : null,
  );
}

function legend(): HTMLElement {
  return h(
    'ul',
    { class: 'diagram-legend comparison-legend', 'aria-label': 'Tegnforklaring for endringene' },
    (Object.keys(StepMarks) as StepMark[]).map((kind) =>
      h(
        'li',
        {},
        h('span', { class: `key diff-${kind}` }, StepMarks[kind].text),
        ` ${StepMarks[kind].says}`,
      ),
    ),
    h(
      'li',
      {},
      h('span', { class: 'key' }, '● N saker'),
      ' løpende saker i steget som en flytting berører',
    ),
    h('li', {}, 'Velg et steg (Tab og Enter) for å lese hva som endres.'),
  );
}
