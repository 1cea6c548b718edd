/**
 * "Not yours" and "missing" must be one answer, in time too. Temporal answers a missing case
 * at once, while a case that exists — yours or not — takes a round trip to the worker. So every
 * case-404 is held until a case read usually takes: the 90th percentile of the recent reads
 * that reached a case, and never less than `minMs`.
 *
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';

const WINDOW = 64;
const PERCENTILE = 0.9;

export class NotFoundPacer {
  private readonly recent: number[] = [];
  private next = 0;

  constructor(private readonly minMs: number) {}

  /** A read that reached a case took `ms`. */
  record(ms: number): void {
    this.recent[this.next] = ms;
    this.next = (this.next + 1) % WINDOW;
  }

  /** How long a case-404 takes at least now. */
  floorMs(): number {
    if (this.recent.length === 0) return this.minMs;
    const sorted = [...this.recent].sort((a, b) => a - b);
    return Math.max(
      this.minMs,
      sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * PERCENTILE))],
    );
  }

  /** Waits until the floor has passed since `startedAt` (a `performance.now()` reading). */
  async hold(startedAt: number): Promise<void> {
    const wait = startedAt + this.floorMs() - performance.now();
    if (wait > 0) await sleep(wait);
  }
}
