/**
 * Delivery tracked: each message's outcome goes into the case's history (`notified`,
 * `notificationFailed`, per recipient when the channels say), and a message that could not be
 * delivered after its retries gives the holder a task («Familien kunne ikke nås»), and tells them.
 * The holder (or staff who may act on the case) completes the task with `completeTask`.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  log,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow';
import type { RetryPolicy } from '@temporalio/common';
import type { createActivities, Notification } from '../activities';
import { ENGINE_ACTOR as ENGINE, EngineEvents, type CaseState } from '../machines';
import { notificationFact } from '../machines/case-facts';
import { deliveryOutcomes, withoutTask, withUnreachableTask } from '../machines/case-tasks';
import { failure, type Accepted, type CaseCommand } from './case-commands';
import { CaseFailures, type CompleteTaskInput } from './case-messages';
import type { CaseRun } from './case-workflow';

type Activities = ReturnType<typeof createActivities>;

/** Notifications retry for about a day, then give up: a failing channel must never block a case. */
export const DELIVERY_RETRY: RetryPolicy = {
  initialInterval: '5 seconds',
  backoffCoefficient: 2,
  maximumInterval: '1 hour',
  maximumAttempts: 30,
};

// Handing a message to a channel takes well under ten seconds; a lost worker is noticed then.
const { deliverNotification } = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: DELIVERY_RETRY,
});

/** The template a task's own message names: no kommune's config need define it. */
export const UNREACHABLE_TEMPLATE = 'sluse.unreachable';

/**
 * Delivers `n` and records its outcome at `revision`. With `makesTask`, a message that failed
 * for good, or a recipient the channels could not reach, gives the holder a task; the holder's
 * message about that task makes none (a holder who cannot be reached either must not loop).
 */
export function deliverTracked(
  run: CaseRun,
  n: Notification,
  revision: number,
  makesTask: boolean,
): Promise<void> {
  const { kind, to } = n;
  const about = { template: n.template, notification: kind, to };
  return deliverNotification(n).then(
    (result: unknown) => {
      const outcomes = deliveryOutcomes(result, to);
      const failed = outcomes.filter((o) => o.status === 'failed');
      const allFailed = failed.length === outcomes.length;
      run.log.record({
        at: run.now(),
        revision,
        kind: allFailed ? 'notificationFailed' : 'notified',
        actor: ENGINE,
        what: kind,
        to,
        // An outbox-only delivery (no channel configured) reports no recipient: the entry stays small.
        ...(Array.isArray(result) && result.length > 0
          ? { payload: { template: n.template, recipients: outcomes } }
          : {}),
        ...messageFacts(run, allFailed, kind, n.template),
      });
      if (makesTask) for (const o of failed) openUnreachableTask(run, { ...about, to: o.role });
    },
    (err: unknown) => {
      log.warn('notification failed for good', { caseId: run.input.caseId, kind });
      run.log.record({
        at: run.now(),
        revision,
        kind: 'notificationFailed',
        actor: ENGINE,
        what: kind,
        to,
        payload: { template: n.template, ...failureCode(err) },
        ...messageFacts(run, true, kind, n.template),
      });
      if (makesTask) openUnreachableTask(run, about);
    },
  );
}

/** The statistics' fact of a message's outcome (machines/case-facts.ts), at the case's step now. */
function messageFacts(run: CaseRun, failed: boolean, kind: string, template: string) {
  return run.state ? { facts: [notificationFact(run.state, failed, kind, template)] } : {};
}

/**
 * Why the activity failed, as codes: its error's type and how its retries ended. Never the
 * message, which a channel may fill with an address.
 */
function failureCode(err: unknown): { error: string; retryState?: string } {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  const type = cause instanceof ApplicationFailure ? cause.type : undefined;
  const retryState = err instanceof ActivityFailure ? err.retryState : undefined;
  return {
    error: type && /^[A-Za-z0-9_.:-]{1,64}$/.test(type) ? type : 'Error',
    ...(retryState ? { retryState } : {}),
  };
}

/** Gives the holder a task about a message that could not be delivered, and tells them. */
function openUnreachableTask(run: CaseRun, about: Parameters<typeof withUnreachableTask>[2]): void {
  // Asked where a run first fails a message for good: runs from before make no task.
  if (!run.patched('unreachable-task')) return;
  const s = run.state;
  if (!s) return;
  const opened = withUnreachableTask(run.k.config, s, about, run.now());
  if (!opened) return;
  const { state, task } = opened;
  run.commit(unchanged(s, state), {
    kind: 'taskOpened',
    actor: ENGINE,
    what: task.kind,
    payload: { taskId: task.id, about },
  });
  if (!state.holder) return;
  run.deliver(
    {
      key: `${workflowInfo().workflowId}/${state.revision}/${task.id}`,
      kommune: run.input.kommune,
      caseId: run.input.caseId,
      kind: 'notify',
      to: 'holder',
      toId: state.holder.id,
      template: UNREACHABLE_TEMPLATE,
      title: task.title,
      body:
        `En melding i saken (${about.template}) kom ikke fram etter flere forsøk. ` +
        'Ta kontakt på en annen måte, og merk oppgaven som gjort i saken.',
      reason: 'message undeliverable',
      createdAt: task.at,
    },
    state.revision,
    false,
  );
}

/** A change of the case that moves it nowhere and runs no effects. */
function unchanged(before: CaseState, state: CaseState): Accepted {
  return {
    ok: true,
    state,
    effects: [],
    transition: { from: before.step, to: before.step, event: EngineEvents.task },
  };
}

/**
 * Marks an open task done. Who may: whoever may act on the case (its holder and team; a role that
 * sees the kommune), the validator's membership check first, as for events; never a family role.
 */
export const completeTaskCommand: CaseCommand<CompleteTaskInput> = {
  check(run, cmd) {
    run.checkRevision(cmd.expectedRevision);
    const config = run.k.config;
    const role = Object.hasOwn(config.roles, cmd.actor.role) ? config.roles[cmd.actor.role] : null;
    if (!role || role.family) {
      const message = `role "${cmd.actor.role}" may not complete the case's tasks`;
      throw failure(CaseFailures.rejected, message, [
        {
          code: 'ROLE_NOT_ALLOWED',
          message,
          nb: 'Bare saksbehandlere kan merke sakens oppgaver som gjort.',
          details: [],
        },
      ]);
    }
    if (!run.requireState().tasks?.some((t) => t.id === cmd.taskId))
      throw failure(CaseFailures.taskNotFound, `the case has no open task "${cmd.taskId}"`);
  },
  step(run, cmd) {
    const s = run.requireState();
    const done = withoutTask(s, cmd.taskId);
    if (!done)
      throw failure(CaseFailures.taskNotFound, `the case has no open task "${cmd.taskId}"`);
    return { result: unchanged(s, done.state) };
  },
  capacity: false,
  entry: (cmd) => ({
    kind: 'taskCompleted',
    actor: cmd.actor,
    what: 'unreachable',
    payload: { taskId: cmd.taskId },
  }),
};
