/** The wake loop: sleeps until the case's next timer or change, then fires what is due. */
import { CancellationScope, condition, sleep } from '@temporalio/workflow';
import { nextCapacityCheck, nextWakeAt } from '../machines/case-wake';
import type { CaseRun } from './case-workflow';

/** How often a handover waiting for capacity looks again. */
const CAPACITY_RECHECK_MS = 6 * 60 * 60 * 1000;

// ── Waking ──────────────────────────────────────────────────────────────────────────────────

/**
 * Sleeps until the earliest armed timer is due (or the short way back closes, or a waiting
 * handover is to be looked at again) or the state changes, then fires every due timer in due
 * order. Timers of a step the case left are gone from state.timers, so leaving a step cancels them.
 * Returns when the case should rest.
 */
export async function wakeLoop(run: CaseRun): Promise<void> {
  // Runs from before re-armed their one timer on every change (a cancelled and a new timer in
  // history per command); newer runs keep it unless the next wake moves earlier.
  const alarm = run.patched('wake-timer-kept') ? new WakeAlarm() : null;
  // Newer still arm it from the commit itself, so a command that moves no wake earlier does not
  // wake the loop: one pass fewer into the workflow sandbox per command, each costing a watchdog
  // thread of the SDK's isolate timeout (issue #12). Runs from before woke on every change, and
  // so started their timer after every command of the activation: they replay as they ran.
  const onCommit = alarm !== null && run.patched('wake-on-commit');
  let capacityCheckAt = 0;
  const wakeAt = () => {
    capacityCheckAt = nextCapacityCheck(
      run.state,
      capacityCheckAt,
      Date.now(),
      run.input.capacityRecheckMs ?? CAPACITY_RECHECK_MS,
    );
    return run.state
      ? nextWakeAt(run.k.config, run.state, run.state.capacityWait ? capacityCheckAt : null)
      : null;
  };
  for (;;) {
    let due: boolean;
    if (alarm && onCommit) {
      const arm = () => alarm.ringBy(wakeAt());
      arm();
      run.onCommit = arm;
      await condition(() => alarm.rang || run.shouldRest());
      run.onCommit = undefined;
      due = alarm.take();
    } else {
      const seen = run.changes;
      const at = wakeAt();
      const wake = () => run.changes !== seen || run.shouldRest();
      if (alarm) {
        alarm.ringBy(at);
        await condition(() => wake() || alarm.rang);
        due = alarm.take();
      } else {
        const wait = at === null ? undefined : Math.max(0, at - Date.now());
        due = !(wait === undefined ? (await condition(wake), true) : await condition(wake, wait));
      }
    }
    if (run.shouldRest()) return;
    if (due && run.state) {
      run.fireDueTimers();
      run.log.flushSoon();
    }
    if (due && run.state?.capacityWait && capacityCheckAt <= Date.now())
      await run.retryWaitingHandover();
  }
}

/**
 * The wake loop's one durable timer. A change that moves the next wake later (most commands:
 * they restart inactivity timers) leaves it armed; when it rings early the loop simply finds
 * nothing due and arms the next one.
 */
class WakeAlarm {
  private at: number | null = null;
  private scope: CancellationScope | null = null;
  rang = false;

  /** Arms a timer for `at` unless one already rings no later; null keeps whatever is armed. */
  ringBy(at: number | null): void {
    if (at === null || (this.at !== null && this.at <= at)) return;
    this.scope?.cancel();
    const scope = new CancellationScope();
    this.scope = scope;
    this.at = at;
    void scope
      .run(() => sleep(Math.max(0, at - Date.now())))
      .then(
        () => {
          if (this.scope === scope) this.rang = true;
        },
        // Cancelled: a nearer timer replaced it.
        () => undefined,
      );
  }

  /** Whether it rang since the last take; a rung alarm is disarmed. */
  take(): boolean {
    if (!this.rang) return false;
    this.rang = false;
    this.at = null;
    this.scope = null;
    return true;
  }
}
