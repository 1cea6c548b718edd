/**
 * What the list says about a case's state, from what visibility knows of it: closed, withdrawn
 * or handed over first; for an open case every deadline passed (the step's, the next timer's, an
 * action point's), an escalation, open tasks, a family asking to reopen, standing still. "I rute"
 * only when none of these holds.
 */
import type { CaseSummary } from './api-types';
import { ago } from './format';
import { counted } from './plural';
import { standingStill } from '../../../machines/standing-still';

export interface CaseFlag {
  icon: string;
  text: string;
  /** `flag-<kind>` in the page; danger kinds mark the row as needing attention. */
  kind: string;
}

const ENDED: Record<string, CaseFlag> = {
  closed: { icon: '■', text: 'Avsluttet', kind: 'closed' },
  withdrawn: { icon: '■', text: 'Trukket', kind: 'withdrawn' },
  handed_over: { icon: '→', text: 'Overført', kind: 'handed-over' },
};

/** Kinds that ask someone to act; `closed` and the like only inform. */
const ATTENTION = new Set([
  'overdue',
  'past-due',
  'escalated',
  'action-point-overdue',
  'tasks',
  'reopen-requested',
  'still',
  'no-due',
]);

export function needsAttention(flags: CaseFlag[]): boolean {
  return flags.some((f) => ATTENTION.has(f.kind));
}

/** Flags of a listed case, each as an icon and words; empty: open and on track. */
export function caseFlags(c: CaseSummary, now = Date.now()): CaseFlag[] {
  const flags: CaseFlag[] = [];
  const ended = c.status !== null && c.status !== 'open' ? ENDED[c.status] : undefined;
  if (ended) flags.push(ended);
  if (c.reopenRequested)
    flags.push({ icon: '↩', text: 'Familien ber om å åpne saken igjen', kind: 'reopen-requested' });
  if (c.status !== 'open') return flags;
  if (c.escalated) flags.push({ icon: '⬆', text: 'Eskalert', kind: 'escalated' });
  if (c.overdue) flags.push({ icon: '⚠', text: 'Fristen i steget er passert', kind: 'overdue' });
  else if (c.nextDueAt && Date.parse(c.nextDueAt) < now)
    flags.push({ icon: '⚠', text: 'Frist passert', kind: 'past-due' });
  if (c.actionPointDueAt && Date.parse(c.actionPointDueAt) < now)
    flags.push({ icon: '⚠', text: 'Tiltakspunkt på overtid', kind: 'action-point-overdue' });
  if (c.openTasks > 0)
    flags.push({
      icon: '☐',
      text: counted(c.openTasks, 'åpen oppgave', 'åpne oppgaver'),
      kind: 'tasks',
    });
  if (standingStill(c, now) && c.lastActivityAt)
    flags.push({
      icon: '‖',
      text: `Står stille: ingen aktivitet ${ago(c.lastActivityAt, now)}`,
      kind: 'still',
    });
  if (!c.nextDueAt) flags.push({ icon: '‖', text: 'Ingen frist satt', kind: 'no-due' });
  return flags;
}
