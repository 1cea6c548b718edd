/**
 * A config version as a plain JSON graph for the visualizer: nodes are steps (with their BTI
 * level, holder role and timers), edges are transitions (event, who may send it, and the gate:
 * its place in the gate list, its rule and the description shown when it does not hold). It is
 * the same structure `machines/compile-machine.ts` compiles into XState states and guarded
 * transitions, read from the same config.
 *
 * @module
 */
import { BtiLevels, type KommuneConfig } from '../config/types';
import { EngineEvents } from '../machines/engine-names';
import type { Statechart } from './api-schemas';
import type { VersionedConfig } from './config-source';


export function toStatechart({ kommune, version, config }: VersionedConfig): Statechart {
  return { kommune, version, initial: config.intake.step, levels: [...BtiLevels], nodes: nodes(config), edges: edges(config) };
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
  const out: Statechart['edges'] = [];
  for (const [from, step] of Object.entries(config.steps)) {
    for (const [event, gates] of Object.entries(step.on ?? {})) {
      const list = [gates].flat();
      const def = config.events[event];
      list.forEach((gate, index) => {
        const to = gate.target ?? from;
        out.push({
          id: `${from}/${event}/${index}`,
          from,
          to,
          kind: 'event',
          event,
          eventTitle: def?.title ?? event,
          roles: [...(def?.roles ?? [])],
          gate: { index, of: list.length, rule: gate.when ?? null, description: gate.description ?? null },
          stays: to === from,
        });
      });
    }
  }
  // The short way back: any closed case may reopen into the configured step.
  const reopen = config.reopen;
  if (reopen) {
    for (const [from, step] of Object.entries(config.steps)) {
      if (!step.final) continue;
      out.push({
        id: `${from}/${EngineEvents.reopen}/0`,
        from,
        to: reopen.step,
        kind: 'reopen',
        event: EngineEvents.reopen,
        eventTitle: `Gjenåpne (innen ${reopen.within})`,
        roles: [...reopen.roles],
        gate: { index: 0, of: 1, rule: null, description: `Innen ${reopen.within} etter avslutning` },
        stays: false,
      });
    }
  }
  return out;
}
