/**
 * Lays a statechart graph out with elkjs, server-side, so the browser only draws boxes and lines
 * and tests can check the geometry. BTI levels become top-to-bottom partitions (level 0 first),
 * which is what makes them drawable as non-overlapping horizontal bands; top-down because pages
 * scroll vertically.
 */
import ELK, { type ElkExtendedEdge, type ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { BtiLevel } from '../../config/types';
import type { Box, Diagram, DiagramBand, DiagramEdge, DiagramNode, Point } from './diagram-types';
import type { StatechartGraph } from './statechart-graph';
import { textWidth } from './text-metrics';
import { wrapText } from './text-wrap';
import { ApiError } from '../api-error';
import { ErrorNb } from '../error-codes';

/** Sizes in px that the browser's CSS is written against (server/visualizer/static/visualizer.css). */
export const NodeMetrics = {
  width: 216,
  /** `.node-title`: 13.5px, weight 600, drawn 10 px in from the box's left edge. */
  titlePx: 13.5,
  titleInset: 10,
  lineHeight: 17,
  /** Status strip on top, padding, and the role/timer line below the title. */
  chrome: 62,
  /** `.edge-label`: 11.5px, drawn 5 px in from its box's left edge. */
  labelPx: 11.5,
  labelInset: 5,
  labelMaxWidth: 160,
  labelLineHeight: 14,
} as const;

const titleWidth = (s: string) => textWidth(s, NodeMetrics.titlePx, true);
const labelWidth = (s: string) => textWidth(s, NodeMetrics.labelPx);

const BAND_PADDING = 20;
/** Room on the left of every band for its heading ("Nivå 2"). */
const BAND_HEADING = 128;
const elk = new ELK();

function nodeSize(n: StatechartGraph['nodes'][number]): {
  lines: string[];
  width: number;
  height: number;
} {
  if (n.kind === 'start') return { lines: [n.title], width: 96, height: 40 };
  const lines = wrapText(n.title, NodeMetrics.width - 2 * NodeMetrics.titleInset, titleWidth);
  const extra = n.stayEvents.length > 0 || n.timers.length > 0 ? NodeMetrics.lineHeight : 0;
  return {
    lines,
    width: NodeMetrics.width,
    height: NodeMetrics.chrome + lines.length * NodeMetrics.lineHeight + extra,
  };
}

function labelLines(edge: StatechartGraph['edges'][number]): string[] {
  return edge.events.flatMap((e) =>
    wrapText((e.engine ? '◷ ' : '') + e.title, NodeMetrics.labelMaxWidth, labelWidth),
  );
}

/**
 * One way of placing the graph: elkjs with some options, or our own placement. Each answers an
 * ELK graph with positions (labels may be left out: those are placed by us).
 */
export type LayoutAttempt = (root: ElkNode) => Promise<ElkNode>;

const withElk =
  (options: Record<string, string>, labels = true): LayoutAttempt =>
  (root) =>
    elk.layout({
      ...root,
      layoutOptions: { ...root.layoutOptions, ...options },
      edges: labels ? root.edges : root.edges?.map((e) => ({ ...e, labels: [] })),
    });

/**
 * elkjs 0.12 throws (an IndexOutOfBoundsException, or a TypeError from its translated Java) on
 * some graphs with labelled edges; which graphs is not predictable, so each failure tries a
 * simpler way: another cycle breaking (avoids it on the shapes we have seen), then no labels
 * for elk to place, then our own placement, which cannot fail on a graph.
 */
export const layoutAttempts: readonly LayoutAttempt[] = [
  withElk({}),
  withElk({ 'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST' }),
  withElk({}, false),
  async (root) => levelRows(root),
];

export interface LayoutOptions {
  /** The ways to try, in order; the last is the one to fall to when time runs short. */
  attempts?: readonly LayoutAttempt[];
  /**
   * When (epoch ms) the caller stops waiting: after a failed attempt, another elk attempt is
   * started only if one as long as the first can finish before it.
   */
  deadline?: number;
}

/** Lays out the graph; `errorsByStep` counts validation errors per step id (drafts). */
export async function layoutDiagram(
  graph: StatechartGraph,
  errorsByStep: Map<string, number> = new Map(),
  { attempts = layoutAttempts, deadline = Infinity }: LayoutOptions = {},
): Promise<Diagram> {
  const sized = new Map(graph.nodes.map((n) => [n.id, nodeSize(n)]));
  const levelOf = new Map(graph.nodes.map((n) => [n.id, n.level]));
  // elkjs 0.12 crashes on labelled edges that run against the partition order (a case going
  // down a level), so those get their label placed by us, on the middle of their route.
  const upward = (e: StatechartGraph['edges'][number]) => levelOf.get(e.to)! < levelOf.get(e.from)!;
  const labelBox = (e: StatechartGraph['edges'][number]) => {
    const lines = labelLines(e);
    const longest = Math.max(...lines.map(labelWidth));
    return {
      text: lines.join('\n'),
      width: Math.ceil(longest) + 2 * NodeMetrics.labelInset,
      height: lines.length * NodeMetrics.labelLineHeight + 6,
    };
  };
  const root: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.partitioning.activate': 'true',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.edgeLabels.placement': 'CENTER',
      'elk.spacing.nodeNode': '28',
      'elk.spacing.edgeLabel': '4',
      'elk.spacing.edgeNode': '16',
      'elk.spacing.edgeEdge': '10',
      'elk.layered.spacing.nodeNodeBetweenLayers': '36',
      'elk.layered.spacing.edgeNodeBetweenLayers': '14',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.padding': `[top=${BAND_PADDING},left=${BAND_HEADING + BAND_PADDING},bottom=${BAND_PADDING},right=${BAND_PADDING}]`,
    },
    children: graph.nodes.map((n) => ({
      id: n.id,
      width: sized.get(n.id)!.width,
      height: sized.get(n.id)!.height,
      layoutOptions: { 'elk.partitioning.partition': String(n.level) },
    })),
    edges: graph.edges.map((e): ElkExtendedEdge => ({
      id: e.id,
      sources: [e.from],
      targets: [e.to],
      labels: upward(e) ? [] : [labelBox(e)],
    })),
  };
  const laid = await firstThatLays(root, attempts, deadline);
  const pos = new Map((laid.children ?? []).map((c) => [c.id, c]));

  const nodes: DiagramNode[] = graph.nodes.map(({ title: _title, ...n }) => {
    const p = pos.get(n.id)!;
    return {
      ...n,
      lines: sized.get(n.id)!.lines,
      x: p.x ?? 0,
      y: p.y ?? 0,
      width: p.width ?? 0,
      height: p.height ?? 0,
      errorCount: errorsByStep.get(n.id) ?? 0,
    };
  });

  const edges: DiagramEdge[] = graph.edges.map((e) => {
    const le = (laid.edges ?? []).find((x) => x.id === e.id) as ElkExtendedEdge | undefined;
    const points: Point[] = [];
    for (const s of le?.sections ?? []) {
      points.push(s.startPoint, ...(s.bendPoints ?? []), s.endPoint);
    }
    const l =
      le?.labels?.[0] ??
      (points.length > 1 ? { ...labelBox(e), ...midpointLabel(points, labelBox(e)) } : undefined);
    return {
      ...e,
      points: points.map(({ x, y }) => ({ x, y })),
      label: l
        ? {
            x: l.x ?? 0,
            y: l.y ?? 0,
            width: l.width ?? 0,
            height: l.height ?? 0,
            lines: (l.text ?? '').split('\n'),
          }
        : null,
    };
  });

  placeLabelsApart(edges, nodes);
  // The browser draws (and the keyboard and screen readers visit) the steps in this order.
  nodes.sort(readingOrder);
  // Labels moved off their first place may stand past elk's extent: the bands must cover them.
  const labelBoxes = edges.flatMap((e) => (e.label ? [e.label] : []));
  const width = Math.max(laid.width ?? 0, ...labelBoxes.map((l) => l.x + l.width + BAND_PADDING));
  const height = Math.max(
    laid.height ?? 0,
    ...labelBoxes.map((l) => l.y + l.height + BAND_PADDING),
  );
  return {
    width,
    height,
    nodes,
    edges,
    bands: bandsOf(nodes, height, graph.levels),
  };
}

async function firstThatLays(
  root: ElkNode,
  attempts: readonly LayoutAttempt[],
  deadline: number,
): Promise<ElkNode> {
  let took = 0;
  for (const [i, attempt] of attempts.entries()) {
    // A large model's elk layout takes seconds, a crash as long: rather our own placement
    // (instant) than a second try that the time limit would cut off with nothing drawn.
    const last = i === attempts.length - 1;
    if (i > 0 && !last && Date.now() + took * 1.5 > deadline) continue;
    const started = Date.now();
    try {
      return await attempt(root);
    } catch {
      // The next, simpler attempt; what failed is elkjs's internals, nothing the user can fix.
      took = Math.max(took, Date.now() - started);
    }
  }
  throw new ApiError(
    'DIAGRAM_LAYOUT_FAILED',
    'the diagram could not be laid out; the model can still be validated and published',
    ErrorNb.DIAGRAM_LAYOUT_FAILED,
  );
}

const ROW_GAP = 72;
const COLUMN_GAP = 48;
/** Steps side by side in one row of a level in our own placement. */
const ROW_STEPS = 4;

/**
 * Our own placement, the last resort: each level's steps in rows of a few, in config order,
 * levels top to bottom; edges as three-segment orthogonal routes through the gap below their
 * source. Plainer than elk's, but every step is drawn and none overlaps another.
 */
function levelRows(root: ElkNode): ElkNode {
  const children = root.children ?? [];
  const levelOfChild = (c: ElkNode) => Number(c.layoutOptions?.['elk.partitioning.partition'] ?? 0);
  const levels = [...new Set(children.map(levelOfChild))].sort((a, b) => a - b);
  const placed = new Map<string, ElkNode>();
  let y = BAND_PADDING;
  let right = 0;
  for (const level of levels) {
    const here = children.filter((c) => levelOfChild(c) === level);
    for (let i = 0; i < here.length; i += ROW_STEPS) {
      const row = here.slice(i, i + ROW_STEPS);
      let x = BAND_HEADING + BAND_PADDING;
      for (const c of row) {
        placed.set(c.id, { ...c, x, y });
        x += (c.width ?? 0) + COLUMN_GAP;
      }
      right = Math.max(right, x - COLUMN_GAP);
      y += Math.max(...row.map((c) => c.height ?? 0)) + ROW_GAP;
    }
  }
  const centre = (n: ElkNode) => (n.x ?? 0) + (n.width ?? 0) / 2;
  const edges = (root.edges ?? []).map((e) => {
    const [from, to] = [
      placed.get((e as ElkExtendedEdge).sources[0]),
      placed.get((e as ElkExtendedEdge).targets[0]),
    ];
    if (!from || !to) return { ...e, labels: [], sections: [] };
    const down = (to.y ?? 0) > (from.y ?? 0);
    const start = { x: centre(from), y: (from.y ?? 0) + (down ? (from.height ?? 0) : 0) };
    const end = { x: centre(to), y: (to.y ?? 0) + (down ? 0 : (to.height ?? 0)) };
    // Through the gap just below (or above) the source, where no step stands.
    const turn = start.y + (down ? ROW_GAP / 2 : -ROW_GAP / 2);
    return {
      ...e,
      labels: [],
      sections: [
        {
          id: `${e.id}:s`,
          startPoint: start,
          bendPoints: [
            { x: start.x, y: turn },
            { x: end.x, y: turn },
          ],
          endPoint: end,
        },
      ],
    };
  });
  return {
    ...root,
    children: [...placed.values()],
    edges,
    width: right + BAND_PADDING,
    height: y - ROW_GAP + BAND_PADDING,
  };
}

/** Top to bottom, and left to right within a row (boxes whose middles lie level). */
function readingOrder(a: Box, b: Box): number {
  const [ay, by] = [a.y + a.height / 2, b.y + b.height / 2];
  return sameRow(a, b) ? a.x - b.x : ay - by;
}

export function sameRow(a: Box, b: Box): boolean {
  return Math.abs(a.y + a.height / 2 - (b.y + b.height / 2)) < Math.min(a.height, b.height) / 2;
}

const LABEL_GAP = 3;

const overlaps = (a: Box, b: Box, gap = 0) =>
  a.x < b.x + b.width + gap &&
  b.x < a.x + a.width + gap &&
  a.y < b.y + b.height + gap &&
  b.y < a.y + a.height + gap;

/** Places a label of `size` on, beside, above or below points along a route, middle first. */
function placesAlong(points: Point[], size: { width: number; height: number }): Point[] {
  const segments = points.slice(1).map((b, i) => [points[i], b] as const);
  const mid = (segments.length - 1) / 2;
  const byMiddle = segments
    .map((seg, i) => ({ seg, d: Math.abs(i - mid) }))
    .sort((a, b) => a.d - b.d)
    .map((x) => x.seg);
  const { width: w, height: h } = size;
  const places: Point[] = [];
  for (const [a, b] of byMiddle) {
    const vertical = Math.abs(a.x - b.x) < Math.abs(a.y - b.y);
    for (const t of [0.5, 0.35, 0.65, 0.2, 0.8, 0.1, 0.9]) {
      const p = { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
      places.push({ x: p.x - w / 2, y: p.y - h / 2 });
      if (vertical) {
        places.push(
          { x: p.x + LABEL_GAP, y: p.y - h / 2 },
          { x: p.x - w - LABEL_GAP, y: p.y - h / 2 },
        );
      } else {
        places.push(
          { x: p.x - w / 2, y: p.y - h - LABEL_GAP },
          { x: p.x - w / 2, y: p.y + LABEL_GAP },
        );
      }
    }
  }
  return places;
}

/**
 * Moves each label that lies on a step or on another label to the first free place along its
 * own route: elk places the labels it is given apart, but not the ones we place (edges against
 * the level order), and not against each other. A label with no free place keeps the place
 * that overlaps least.
 */
function placeLabelsApart(edges: DiagramEdge[], nodes: DiagramNode[]): void {
  const placed: Box[] = [];
  const clashes = (b: Box) =>
    b.x < BAND_HEADING
      ? Infinity
      : nodes.filter((n) => overlaps(b, n, LABEL_GAP)).length * 10 +
        placed.filter((p) => overlaps(b, p, LABEL_GAP)).length;
  for (const e of edges) {
    const l = e.label;
    if (!l) continue;
    let best: Box = l;
    let worst = clashes(l);
    for (const p of worst === 0 ? [] : placesAlong(e.points, l)) {
      const c = clashes({ ...l, ...p });
      if (c < worst) [best, worst] = [{ ...l, ...p }, c];
      if (c === 0) break;
    }
    e.label = { ...l, x: best.x, y: best.y };
    placed.push(e.label);
  }
}

/** Centres a label on the middle segment of a route. */
function midpointLabel(points: Point[], box: { width: number; height: number }): Point {
  const i = Math.floor((points.length - 1) / 2);
  const [a, b] = [points[i], points[i + 1]];
  return { x: (a.x + b.x) / 2 - box.width / 2, y: (a.y + b.y) / 2 - box.height / 2 };
}

/** One band per level present; borders halfway between the last row of one level and the next. */
function bandsOf(
  nodes: DiagramNode[],
  height: number,
  names: StatechartGraph['levels'],
): DiagramBand[] {
  const spans = new Map<BtiLevel, { min: number; max: number }>();
  for (const n of nodes) {
    const s = spans.get(n.level) ?? { min: Infinity, max: -Infinity };
    spans.set(n.level, { min: Math.min(s.min, n.y), max: Math.max(s.max, n.y + n.height) });
  }
  const levels = [...spans.keys()].sort();
  return levels.map((level, i) => {
    const prev = i > 0 ? spans.get(levels[i - 1])! : null;
    const next = i < levels.length - 1 ? spans.get(levels[i + 1])! : null;
    const here = spans.get(level)!;
    const top = prev ? (prev.max + here.min) / 2 : 0;
    const bottom = next ? (here.max + next.min) / 2 : height;
    const { title, description } = names[level] ?? { title: `Nivå ${level}` };
    return {
      level,
      title,
      ...(description ? { description } : {}),
      y: top,
      height: bottom - top,
    };
  });
}
