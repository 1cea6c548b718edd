/** `CaseLogWriter`: the case's log (the stafettlogg) until the store has it. */
import { condition, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { RetryPolicy } from '@temporalio/common';
import type { createActivities } from '../activities';
import type { CaseState } from '../machines';
import { logBatch } from '../machines/case-log-batch';
import type { CaseWorkflowInput, HistoryEntry } from './case-messages';
import type { CasePatches } from './patches';

type Activities = ReturnType<typeof createActivities>;

// Writing the log retries for as long as the store is down: the case goes on meanwhile, keeping
// the unwritten entries; continue-as-new carries them while they fit one write, archiving waits.
const retry: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
};
const { appendCaseLog } = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry });
/**
 * The same write as a local activity, in the workflow task that recorded the entries: a command
 * costs one workflow task and a marker instead of a second task and an activity's three events
 * and round trips through the server (issue #12). A write takes milliseconds; the task waits for
 * it, so a slow store holds a task at most `startToCloseTimeout`, and retries past the first
 * second wait on durable timers with the task completed, so the case goes on meanwhile.
 */
const local = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  localRetryThreshold: '1 second',
  retry,
});

/** A newer run writes its commands' log entries once this many have gathered… */
export const LOG_FLUSH_ENTRIES = 16;
/** …or once the first has waited this long (`CaseWorkflowInput.logFlushMs` overrides it). */
export const LOG_FLUSH_AFTER_MS = 10 * 60_000;

// ── The case's log ──────────────────────────────────────────────────────────────────────────

/**
 * The stafettlogg lives in the store (see README, design notes): each entry is written once by
 * `appendCaseLog` and then dropped here, so `tail` holds only what is not written yet, and
 * continue-as-new carries state and that bounded tail. Runs from before keep and carry the whole log.
 */
export class CaseLogWriter {
  readonly tail: HistoryEntry[];
  private nextSeq: number;
  private writing = false;
  private flushWanted: boolean;
  /** Set when the wake loop ends: from then on the writer leaves a tail continue-as-new can carry. */
  resting = false;

  constructor(
    private readonly input: CaseWorkflowInput,
    readonly inStore: boolean,
    private readonly finished: () => boolean,
    private readonly patched: CasePatches,
  ) {
    this.tail =
      input.carried?.tail ?? (input.carried?.history ?? []).map((e, i) => ({ ...e, seq: i + 1 }));
    this.nextSeq = input.carried?.nextSeq ?? this.tail.length + 1;
    // What a run before this one carried over is written first thing.
    this.flushWanted = this.tail.length > 0;
  }

  record(entry: Omit<HistoryEntry, 'seq'>): void {
    this.tail.push({ seq: this.nextSeq++, ...entry });
  }

  /**
   * Writes the log to the store, oldest first, one write at a time; written entries leave memory.
   * Newer runs let commands' entries gather (readers add the tail, see `CaseLog.complete`), so a
   * command's workflow task carries no write and answers sooner (issue #12); they are written
   * once `LOG_FLUSH_ENTRIES` gather, `LOG_FLUSH_AFTER_MS` after they began to gather (runs with
   * `case-log-timely`), when the case opens (`case-log-at-open`), wakes for a timer or closes,
   * and before it rests.
   */
  async writeLoop(): Promise<void> {
    let write: typeof appendCaseLog | undefined;
    let deferred: boolean | undefined;
    let timely: boolean | undefined;
    // Newer runs go straight on when what they would wait for holds already (an opening's
    // entries, a full batch): a condition costs promises, each with a stack the SDK captures,
    // and a timed one a dozen and a timer started and cancelled (issue #12). Runs from before
    // waited, so their writes come where their histories have them.
    const atOnce = this.patched('log-write-at-once');
    const pending = () => this.tail.length > 0 && !(this.resting && this.carriable());
    for (;;) {
      if (!(atOnce && pending())) await condition(pending);
      // Asked where the first entry waits, so runs from before write as they did.
      deferred ??= this.patched('case-log-deferred');
      if (deferred) {
        const gathered = () =>
          (this.tail.length >= LOG_FLUSH_ENTRIES || this.flushWanted || this.resting) &&
          !(this.resting && this.carriable());
        // The statistics read the facts these entries carry from the store (#16): a quiet case
        // writes what it gathered after a while, in a task of its own, never in a command's.
        timely ??= this.patched('case-log-timely');
        if (!(atOnce && gathered())) {
          if (!timely) await condition(gathered);
          else if (!(await condition(gathered, this.input.logFlushMs ?? LOG_FLUSH_AFTER_MS))) {
            if (this.tail.length === 0 || (this.resting && this.carriable())) continue;
          }
        }
      }
      this.flushWanted = false;
      // Asked at the first write, where the history of runs from before has their activity.
      write ??= this.patched('case-log-local-activity') ? local.appendCaseLog : appendCaseLog;
      this.writing = true;
      const batch = logBatch(this.tail);
      await write({
        kommune: this.input.kommune,
        caseId: this.input.caseId,
        entries: batch,
      });
      this.tail.splice(0, batch.length);
      this.writing = false;
    }
  }

  /** Writes what has gathered at the next chance (the case woke for its own reasons). */
  flushSoon(): void {
    if (this.tail.length > 0) this.flushWanted = true;
  }

  /** No write in flight (none is left behind), and the tail written or carriable. */
  readyToRest(): boolean {
    return !this.inStore || (!this.writing && (this.tail.length === 0 || this.carriable()));
  }

  /**
   * Continue-as-new carries the unwritten tail once it fits one write, rather than waiting for it
   * to empty: a steady stream of commands (each adding entries) could otherwise hold it off for
   * good. The archive reads the log from the store, so it waits for every write.
   */
  private carriable(): boolean {
    return !this.finished() && logBatch(this.tail).length === this.tail.length;
  }

  carried(state: CaseState): NonNullable<CaseWorkflowInput['carried']> {
    return this.inStore
      ? { state, tail: this.tail, nextSeq: this.nextSeq }
      : { state, history: this.tail };
  }
}
