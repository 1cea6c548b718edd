/** `CaseLogWriter`: the case's log (the stafettlogg) until the store has it. */
import { condition, proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { CaseState } from '../machines';
import { logBatch } from '../machines/case-log-batch';
import type { CaseWorkflowInput, HistoryEntry } from './case-messages';

type Activities = ReturnType<typeof createActivities>;

// Writing the log retries for as long as the store is down: the case goes on meanwhile, keeping
// the unwritten entries; continue-as-new carries them while they fit one write, archiving waits.
const { appendCaseLog } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

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
  /** Set when the wake loop ends: from then on the writer leaves a tail continue-as-new can carry. */
  resting = false;

  constructor(
    private readonly input: CaseWorkflowInput,
    readonly inStore: boolean,
    private readonly finished: () => boolean,
  ) {
    this.tail =
      input.carried?.tail ?? (input.carried?.history ?? []).map((e, i) => ({ ...e, seq: i + 1 }));
    this.nextSeq = input.carried?.nextSeq ?? this.tail.length + 1;
  }

  record(entry: Omit<HistoryEntry, 'seq'>): void {
    this.tail.push({ seq: this.nextSeq++, ...entry });
  }

  /** Writes the log to the store, oldest first, one write at a time; written entries leave memory. */
  async writeLoop(): Promise<void> {
    for (;;) {
      await condition(() => this.tail.length > 0 && !(this.resting && this.carriable()));
      this.writing = true;
      const batch = logBatch(this.tail);
      await appendCaseLog({
        kommune: this.input.kommune,
        caseId: this.input.caseId,
        entries: batch,
      });
      this.tail.splice(0, batch.length);
      this.writing = false;
    }
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
