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

/** Lays out the graph; `errorsByStep` counts validation errors per step id (drafts). */
export async function layoutDiagram(
  graph: StatechartGraph,
  errorsByStep: Map<string, number> = new Map(),
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
  const laid = await elk.layout(root);
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
  return { width: laid.width ?? 0, height, nodes, edges, bands: bandsOf(nodes, height) };
}

/** Centres a label on the middle segment of a route. */
function midpointLabel(points: Point[], box: { width: number; height: number }): Point {
  const i = Math.floor((points.length - 1) / 2);
  const [a, b] = [points[i], points[i + 1]];
  return { x: (a.x + b.x) / 2 - box.width / 2, y: (a.y + b.y) / 2 - box.height / 2 };
}

/** One band per level present; borders halfway between the last row of one level and the next. */
function bandsOf(nodes: DiagramNode[], height: number): DiagramBand[] {
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
    return { level, y: top, height: bottom - top };
  });
}
