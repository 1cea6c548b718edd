/**
 * The live model's incident list, under the published model: the running cases that need a
 * leader's eye now (escalated, late, a message not delivered, standing still), each with its
 * reasons in bokmål and since when, the most pressing first as the API orders them.
 */
import type { KommuneConfig } from '../../../config/types';
import { caseTable } from './case-table';
import { h } from './dom';
import { formatDate } from './format';

export type IncidentReason = 'escalated' | 'late' | 'undelivered' | 'standingStill';

export interface Incident {
  caseId: string;
  step: string;
  reasons: IncidentReason[];
  dueAt: string | null;
  undeliveredAt: string | null;
  lastActivityAt: string | null;
}

const REASON_NB: Record<IncidentReason, string> = {
  escalated: 'Eskalert',
  late: 'Forfalt',
  undelivered: 'Melding ikke levert',
  standingStill: 'Står stille',
};

/** When it began, by its first reason: the deadline passed, the message failed, the last change. */
function since(i: Incident): string | null {
  const first = i.reasons[0];
  if (first === 'late' && i.dueAt) return i.dueAt;
  if (first === 'undelivered' && i.undeliveredAt) return i.undeliveredAt;
  if (first === 'standingStill') return i.lastActivityAt;
  return i.dueAt ?? i.undeliveredAt ?? i.lastActivityAt;
}

/**
 * The section; `linkCases` when the viewer may open the cases (a process owner sees the model,
 * not the cases).
 */
export function incidentList(
  incidents: readonly Incident[],
  truncated: boolean,
  config: KommuneConfig | undefined,
  linkCases: boolean,
): HTMLElement {
  const heading = h(
    'h3',
    { id: 'incidents-heading' },
    `Saker som trenger oppmerksomhet (${incidents.length}${truncated ? '+' : ''})`,
  );
  if (incidents.length === 0)
    return h(
      'section',
      { id: 'incidents', 'aria-labelledby': 'incidents-heading' },
      heading,
      h(
        'p',
        { class: 'muted' },
        'Ingen åpne saker er eskalert, forfalt, uten levert melding eller står stille.',
      ),
    );
  const stepTitle = (step: string) =>
    config && Object.hasOwn(config.steps, step) ? config.steps[step].title : step;
  return h(
    'section',
    { id: 'incidents', 'aria-labelledby': 'incidents-heading' },
    heading,
    truncated ? h('p', { class: 'muted' }, `Bare de ${incidents.length} første vises.`) : null,
    caseTable(
      'incidents',
      ['Sak', 'Steg', 'Hva', 'Siden'],
      incidents.map((i) => {
        const when = since(i);
        return {
          caseId: i.caseId,
          head: linkCases
            ? h('a', { href: `/visualizer/saker/${encodeURIComponent(i.caseId)}` }, i.caseId)
            : i.caseId,
          cells: [
            stepTitle(i.step),
            i.reasons.map((r) => REASON_NB[r]).join(', '),
            when ? formatDate(when) : '–',
          ],
        };
      }),
    ),
  );
}
