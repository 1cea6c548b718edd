/**
 * The positioned statechart the server sends to the pages: plain JSON, shared by the server
 * (which lays it out with elkjs) and the browser code (which only draws it).
 */
import type { BtiLevel, FinalOutcome } from '../../config/types';

export interface Point {
  x: number;
  y: number;
}

export interface Box extends Point {
  width: number;
  height: number;
}

/** One event on an edge; `engine` events are sent by a timer, never by a person. */
export interface EdgeEvent {
  event: string;
  title: string;
  engine: boolean;
  /** The gate's description when the transition has a `when` rule. */
  gate?: string;
}

export interface DiagramNode extends Box {
  /** Step id, or `__start__` for the intake marker. */
  id: string;
  kind: 'step' | 'start';
  /** Title wrapped into the lines the node is sized for. */
  lines: string[];
  level: BtiLevel;
  holderRole?: string;
  holderTitle?: string;
  final?: { outcome: FinalOutcome; reason: string };
  timers: Array<{ id: string; kind: string; title?: string }>;
  /** Events handled without leaving the step; listed in the node, not drawn as loops. */
  stayEvents: EdgeEvent[];
  /** Validation errors whose path lies inside this step (drafts). */
  errorCount: number;
}

export interface DiagramEdge {
  id: string;
  from: string;
  to: string;
  kind: 'transition' | 'intake' | 'reopen';
  events: EdgeEvent[];
  points: Point[];
  label: (Box & { lines: string[] }) | null;
}

/** A BTI level as a horizontal band behind its steps, across the whole width. */
export interface DiagramBand {
  level: BtiLevel;
  /** The kommune's name for the level (its config's `levels`), or "Nivå N". */
  title: string;
  description?: string;
  y: number;
  height: number;
}

export interface Diagram {
  width: number;
  height: number;
  nodes: DiagramNode[];
  edges: DiagramEdge[];
  bands: DiagramBand[];
}

/** The draft endpoint's answer: every validation error, and whatever could be drawn. */
export interface DraftDiagramResult {
  valid: boolean;
  errors: Array<{
    path: string;
    code: string;
    message: string;
    nb: string;
    hint?: string;
    line?: number;
    column?: number;
  }>;
  kommune: { id: string | null; name: string | null };
  diagram: Diagram;
}

export const START_NODE = '__start__';
