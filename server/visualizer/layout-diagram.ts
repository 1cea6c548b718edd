/**
 * Lays a statechart graph out with elkjs, server-side, so the browser only draws boxes and lines
 * and tests can check the geometry. BTI levels become top-to-bottom partitions (level 0 first),
 * which is what makes them drawable as non-overlapping horizontal bands; top-down because pages
 * scroll vertically.
 */
import ELK, { type ElkExtendedEdge, type ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { BtiLevel } from '../../config/types';
import type { Diagram, DiagramBand, DiagramEdge, DiagramNode, Point } from './diagram-types';
import type { StatechartGraph } from './statechart-graph';
import { wrapText } from './text-wrap';
import { ApiError } from '../api-error';
import { ErrorNb } from '../error-codes';

/** Sizes in px that the browser's CSS is written against (server/visualizer/static/visualizer.css). */
export const NodeMetrics = {
  width: 216,
  titleChars: 26,
  lineHeight: 17,
  /** Status strip on top, padding, and the role/timer line below the title. */
  chrome: 62,
  labelChars: 24,
  labelCharWidth: 6.6,
  labelLineHeight: 14,
} as const;

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
  const lines = wrapText(n.title, NodeMetrics.titleChars);
  const extra = n.stayEvents.length > 0 || n.timers.length > 0 ? NodeMetrics.lineHeight : 0;
  return {
    lines,
    width: NodeMetrics.width,
    height: NodeMetrics.chrome + lines.length * NodeMetrics.lineHeight + extra,
  };
}

function labelLines(edge: StatechartGraph['edges'][number]): string[] {
  return edge.events.flatMap((e) =>
    wrapText((e.engine ? '◷ ' : '') + e.title, NodeMetrics.labelChars, 2),
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

/** Lays out the graph; `errorsByStep` counts validation errors per step id (drafts). */
export async function layoutDiagram(
  graph: StatechartGraph,
  errorsByStep: Map<string, number> = new Map(),
  attempts: readonly LayoutAttempt[] = layoutAttempts,
): Promise<Diagram> {
  const sized = new Map(graph.nodes.map((n) => [n.id, nodeSize(n)]));
  const levelOf = new Map(graph.nodes.map((n) => [n.id, n.level]));
  // elkjs 0.12 crashes on labelled edges that run against the partition order (a case going
  // down a level), so those get their label placed by us, on the middle of their route.
  const upward = (e: StatechartGraph['edges'][number]) => levelOf.get(e.to)! < levelOf.get(e.from)!;
  const labelBox = (e: StatechartGraph['edges'][number]) => {
    const lines = labelLines(e);
    const longest = Math.max(...lines.map((l) => l.length));
    return {
      text: lines.join('\n'),
      width: Math.ceil(longest * NodeMetrics.labelCharWidth) + 10,
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
  const laid = await firstThatLays(root, attempts);
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

  const height = laid.height ?? 0;
  return {
    width: laid.width ?? 0,
    height,
    nodes,
    edges,
    bands: bandsOf(nodes, height, graph.levels),
  };
}

async function firstThatLays(root: ElkNode, attempts: readonly LayoutAttempt[]): Promise<ElkNode> {
  for (const attempt of attempts) {
    try {
      return await attempt(root);
    } catch {
      // The next, simpler attempt; what failed is elkjs's internals, nothing the user can fix.
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
