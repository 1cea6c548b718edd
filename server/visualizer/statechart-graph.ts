/**
 * A kommune config read as a graph of steps and transitions, before layout. Tolerant on purpose:
 * a process owner's unsaved draft may be broken, and we still draw every step and every
 * transition whose ends exist, next to the validation errors. The transitions are the one walk
 * of `machines/config-graph.ts` (the API's statechart reads the same), merged here per pair of
 * steps for drawing.
 */
import type { BtiLevel, FinalOutcome } from '../../config/types';
import { durationWords } from '../../config/duration';
import { configTransitions, isDict, own, str } from '../../machines/config-graph';
import { START_NODE, type DiagramNode, type EdgeEvent } from './diagram-types';

export type GraphNode = Omit<
  DiagramNode,
  'x' | 'y' | 'width' | 'height' | 'lines' | 'errorCount'
> & {
  title: string;
};

export interface GraphEdge {
  id: string;
  from: string;
  to: string;
  kind: 'transition' | 'intake' | 'reopen';
  events: EdgeEvent[];
}

export interface StatechartGraph {
  id: string | null;
  name: string | null;
  /** The config's own names of the levels it names (`levels`). */
  levels: Partial<Record<BtiLevel, { title: string; description?: string }>>;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

function levelOf(v: unknown): BtiLevel {
  return v === 1 || v === 2 || v === 3 ? v : 0;
}

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

/** Builds the graph of a config, valid or not. */
export function statechartGraph(config: unknown): StatechartGraph {
  const c = isDict(config) ? config : {};
  const steps = isDict(c.steps) ? c.steps : {};
  const events = isDict(c.events) ? c.events : {};
  const roles = isDict(c.roles) ? c.roles : {};

  const eventInfo = (id: string, gate?: string): EdgeEvent => {
    const def = own(events, id);
    const d = isDict(def) ? def : {};
    return {
      event: id,
      title: str(d.title) ?? id,
      engine: Array.isArray(d.roles) && d.roles.length === 0,
      ...(gate ? { gate } : {}),
    };
  };

  const nodes: GraphNode[] = [];
  const edgesByPair = new Map<string, GraphEdge>();
  const addEdge = (from: string, to: string, kind: GraphEdge['kind'], ev: EdgeEvent) => {
    const key = `${kind}:${from}->${to}`;
    const edge = edgesByPair.get(key) ?? { id: key, from, to, kind, events: [] };
    if (!edge.events.some((e) => e.event === ev.event)) edge.events.push(ev);
    edgesByPair.set(key, edge);
  };

  for (const [id, raw] of Object.entries(steps)) {
    const step = isDict(raw) ? raw : {};
    const holderRole = str(step.holderRole);
    const role = holderRole ? own(roles, holderRole) : undefined;
    const final = isDict(step.final) ? step.final : undefined;
    nodes.push({
      id,
      kind: 'step',
      title: str(step.title) ?? id,
      level: levelOf(step.level),
      holderRole,
      holderTitle: isDict(role) ? str(role.title) : undefined,
      final: final
        ? {
            outcome: (str(final.outcome) ?? 'closed') as FinalOutcome,
            reason: str(final.reason) ?? '',
          }
        : undefined,
      timers: asList(step.timers)
        .filter(isDict)
        .map((t) => ({ id: str(t.id) ?? '?', kind: str(t.kind) ?? '?', title: str(t.title) })),
      stayEvents: [],
    });
  }

  const transitions = configTransitions(config);
  const nodeById = new Map(nodes.map((n) => [n.id, n]));
  for (const t of transitions) {
    if (t.kind !== 'event') continue;
    const gate = t.when !== undefined ? (t.description ?? 'vilkår') : undefined;
    const node = nodeById.get(t.from)!;
    if (t.to === t.from) {
      if (!node.stayEvents.some((e) => e.event === t.event))
        node.stayEvents.push(eventInfo(t.event, gate));
    } else {
      addEdge(t.from, t.to, 'transition', eventInfo(t.event, gate));
    }
  }

  const intake = isDict(c.intake) ? c.intake : {};
  const intakeStep = str(intake.step);
  if (intakeStep && isDict(own(steps, intakeStep))) {
    const level = nodeById.get(intakeStep)!.level;
    nodes.unshift({
      id: START_NODE,
      kind: 'start',
      title: 'Ny sak',
      level,
      timers: [],
      stayEvents: [],
    });
    addEdge(START_NODE, intakeStep, 'intake', {
      event: 'opprett',
      title: 'Opprett sak',
      engine: false,
    });
  }

  const within = isDict(c.reopen) ? str(c.reopen.within) : undefined;
  for (const t of transitions) {
    if (t.kind !== 'reopen') continue;
    addEdge(t.from, t.to, 'reopen', {
      event: 'gjenapne',
      title: within ? `Gjenåpne (innen ${durationWords(within)})` : 'Gjenåpne',
      engine: false,
    });
  }

  const levels: StatechartGraph['levels'] = {};
  const named = isDict(c.levels) ? c.levels : {};
  for (const level of [0, 1, 2, 3] as const) {
    const def = own(named, String(level));
    const title = isDict(def) ? str(def.title) : undefined;
    if (!title || !isDict(def)) continue;
    const description = str(def.description);
    levels[level] = description ? { title, description } : { title };
  }

  return {
    id: str(c.id) ?? null,
    name: str(c.name) ?? null,
    levels,
    nodes,
    edges: [...edgesByPair.values()],
  };
}
