/**
 * The workflow's view of a case as the API shows it. Fields are copied one by one, so a field
 * added to the case state never reaches a response until it is added to the schema here.
 *
 * @module
 */
import { nextDueAt, type ConsentGiving } from '../machines';
import type { CaseView, HistoryEntry } from '../workflows/case-messages';
import type { CaseHistory, CaseSnapshot } from './api-schemas';

const opt = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
  value === undefined ? {} : ({ [key]: value } as Record<K, V>);

function consentGiving(c: ConsentGiving) {
  return {
    givenAt: c.givenAt,
    ...opt('expiresAt', c.expiresAt),
    ...opt('withdrawnAt', c.withdrawnAt),
    ...opt('via', c.via),
    ...opt(
      'recordedBy',
      c.recordedBy && { role: c.recordedBy.role, relation: c.recordedBy.relation },
    ),
  };
}

export function toCaseSnapshot(view: CaseView): CaseSnapshot {
  const s = view.state;
  return {
    caseId: s.caseId,
    kommune: s.kommune,
    configVersion: s.configVersion,
    revision: s.revision,
    referralSource: s.referralSource,
    step: s.step,
    level: s.level,
    status: s.status,
    outcomeReason: s.outcomeReason ?? null,
    holder: s.holder ? { id: s.holder.id, role: s.holder.role, since: s.holder.since } : null,
    team: s.team.map((m) => ({ id: m.id, ...opt('role', m.role), ...opt('title', m.title) })),
    assignedTeams: { ...s.assignedTeams },
    data: s.data,
    consents: Object.fromEntries(
      Object.entries(s.consents).map(([type, c]) => [
        type,
        {
          givenBy: c.givenBy,
          ...consentGiving(c),
          ...opt(
            'givers',
            c.givers &&
              Object.fromEntries(
                Object.entries(c.givers).map(([kind, g]) => [kind, consentGiving(g)]),
              ),
          ),
          ...opt('awaiting', c.awaiting && [...c.awaiting]),
        },
      ]),
    ),
    actionPoints: s.actionPoints.map((a) => ({
      id: a.id,
      title: a.title,
      responsible: a.responsible,
      ...opt('due', a.due),
      status: a.status,
      createdAt: a.createdAt,
      ...opt('doneAt', a.doneAt),
    })),
    timers: s.timers.map((t) => ({
      key: t.key,
      timerId: t.timerId,
      step: t.step,
      kind: t.kind,
      ...opt('title', t.title),
      dueAt: t.dueAt,
    })),
    nextDueAt: nextDueAt(s),
    overdue: s.overdue,
    escalatedTo: [...s.escalatedTo],
    openedAt: s.openedAt,
    stepEnteredAt: s.stepEnteredAt,
    lastActivityAt: s.lastActivityAt,
    closedAt: s.closedAt ?? null,
    reopenRequest: s.reopenRequest
      ? {
          at: s.reopenRequest.at,
          by: s.reopenRequest.by,
          ...opt('declinedAt', s.reopenRequest.declinedAt),
        }
      : null,
    path: [...s.path],
    ...(s.pathDropped && {
      pathDropped: {
        count: s.pathDropped.count,
        moves: s.pathDropped.moves.map(([a, b]): [string, string] => [a, b]),
      },
    }),
    tasks: (s.tasks ?? []).map((t) => ({
      id: t.id,
      kind: t.kind,
      title: t.title,
      about: { template: t.about.template, notification: t.about.notification, to: t.about.to },
      at: t.at,
    })),
    allowedEvents: view.allowedEvents.map((e) => ({
      type: e.type,
      title: e.title,
      ...opt('description', e.description),
      payloadSchema: e.payloadSchema,
      targets: [...e.targets],
    })),
  };
}

export function toHistoryEntries(entries: HistoryEntry[]): CaseHistory['entries'] {
  return entries.map((e) => ({
    seq: e.seq,
    at: e.at,
    revision: e.revision,
    kind: e.kind,
    actor: { id: e.actor.id, role: e.actor.role },
    what: e.what,
    ...opt('from', e.from),
    ...opt('to', e.to),
    ...opt('payload', e.payload),
  }));
}
