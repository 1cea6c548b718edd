/**
 * A config version as a plain JSON graph for the visualizer: nodes are steps (with their BTI
 * level, holder role and timers), edges are transitions (event, who may send it, and the gate:
 * its place in the gate list, its rule and the description shown when it does not hold). It is
 * the same structure `machines/compile-machine.ts` compiles into XState states and guarded
 * transitions; the transitions come from the one walk in `machines/config-graph.ts`.
 *
 * @module
 */
import { BtiLevels, type KommuneConfig } from '../config/types';
import { configTransitions } from '../machines/config-graph';
import type { Statechart } from './api-schemas';
import type { VersionedConfig } from './config-source';

export function toStatechart({ kommune, version, config }: VersionedConfig): Statechart {
  return {
    kommune,
    version,
    initial: config.intake.step,
    levels: [...BtiLevels],
    nodes: nodes(config),
    edges: edges(config),
  };
}

function nodes(config: KommuneConfig): Statechart['nodes'] {
  return Object.entries(config.steps).map(([id, step]) => ({
    id,
    title: step.title,
    description: step.description ?? null,
    level: step.level,
    holderRole: step.holderRole,
    initial: id === config.intake.step,
    final: step.final ? { outcome: step.final.outcome, reason: step.final.reason } : null,
    requiresConsent: [...(step.requiresConsent ?? [])],
    timers: (step.timers ?? []).map((t) => ({ id: t.id, kind: t.kind, title: t.title ?? null })),
  }));
}

function edges(config: KommuneConfig): Statechart['edges'] {
  const reopen = config.reopen;
  return configTransitions(config).map((t) => {
    const common = {
      id: `${t.from}/${t.event}/${t.index}`,
      from: t.from,
      to: t.to,
      event: t.event,
      stays: t.to === t.from,
    };
    if (t.kind === 'reopen' && reopen) {
      return {
        ...common,
        kind: 'reopen',
        eventTitle: `Gjenåpne (innen ${reopen.within})`,
        roles: [...reopen.roles],
        gate: {
          index: 0,
          of: 1,
          rule: null,
          description: `Innen ${reopen.within} etter avslutning`,
        },
      };
    }
    const def = Object.hasOwn(config.events, t.event) ? config.events[t.event] : undefined;
    return {
      ...common,
      kind: 'event',
      eventTitle: def?.title ?? t.event,
      roles: [...(def?.roles ?? [])],
      gate: { index: t.index, of: t.of, rule: t.when ?? null, description: t.description ?? null },
    };
  });
}
