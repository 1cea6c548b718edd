/**
 * What a process owner or leader reads about one step when they select it in the diagram.
 */
import type { KommuneConfig } from '../../../config/types';
import type { Diagram, DiagramNode } from '../diagram-types';
import { h } from './dom';
import { roleTitle, timerKind } from './case-panels';

const OUTCOMES: Record<string, string> = {
  closed: 'avsluttet',
  handed_over: 'overført',
  withdrawn: 'trukket',
};

export function stepDetails(
  node: DiagramNode,
  diagram: Diagram,
  config: KommuneConfig | null,
): HTMLElement {
  if (node.kind === 'start')
    return h('div', {}, h('h3', {}, 'Ny sak'), h('p', {}, 'Her starter en sak når den opprettes.'));
  const step = config?.steps[node.id];
  const out = diagram.edges.filter((e) => e.from === node.id);
  return h(
    'div',
    {},
    h('h3', {}, node.lines.join(' ')),
    h(
      'p',
      { class: 'muted' },
      `Nivå ${node.level} · stafettholder: ${config && node.holderRole ? roleTitle(config, node.holderRole) : (node.holderTitle ?? '–')}`,
    ),
    step?.description ? h('p', {}, step.description) : null,
    node.final
      ? h(
          'p',
          {},
          `■ Sluttsteg (${OUTCOMES[node.final.outcome] ?? 'avsluttet'}): ${node.final.reason}`,
        )
      : null,
    node.errorCount > 0
      ? h('p', {}, `⚠ ${node.errorCount} feil i dette steget – se listen over feil.`)
      : null,
    out.length > 0
      ? [
          h('h4', {}, 'Kan gå videre til'),
          h(
            'ul',
            {},
            out.map((e) =>
              h(
                'li',
                {},
                `${diagram.nodes.find((n) => n.id === e.to)?.lines.join(' ') ?? e.to}: `,
                e.events
                  .map(
                    (ev) =>
                      `${ev.engine ? '◷ ' : ''}${ev.title}${ev.gate ? ` (vilkår: ${ev.gate})` : ''}`,
                  )
                  .join('; '),
              ),
            ),
          ),
        ]
      : null,
    node.stayEvents.length > 0
      ? [
          h('h4', {}, 'Hendelser i steget (saken blir stående)'),
          h(
            'ul',
            {},
            node.stayEvents.map((e) => h('li', {}, `↻ ${e.title}`)),
          ),
        ]
      : null,
    node.timers.length > 0
      ? [
          h('h4', {}, 'Tidsur'),
          h(
            'ul',
            {},
            node.timers.map((t) =>
              h('li', {}, `◷ ${t.title ?? timerKind(t.kind)} (${timerKind(t.kind).toLowerCase()})`),
            ),
          ),
        ]
      : null,
  );
}
