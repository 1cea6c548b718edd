/**
 * Live case snapshots for server-sent events. One poller per case, shared by every subscriber
 * of that case: it reads the case every `pollMs` and, when the revision moved, reads the
 * snapshot once per distinct viewer (role, and the person for roles that see only their own
 * cases, whose view depends on who they are) and sends it to those viewers. A case nobody watches is not polled.
 *
 * @module
 */
import { logger } from '../runtime/logger';
import { memberToBe, type KommuneAccess } from './access-policy';
import { ApiError } from './api-error';
import type { CaseSnapshot } from './api-schemas';
import { loggableError } from './loggable-error';

export type ReadSnapshot = (access: KommuneAccess, caseId: string) => Promise<CaseSnapshot>;

export interface StreamOptions {
  pollMs: number;
  /** Closed cases change rarely (only a reopen): poll them this many times slower. */
  closedSlowdown: number;
}

export interface Subscriber {
  access: KommuneAccess;
  /** The last revision this subscriber was sent. */
  revision: number;
  send(snapshot: CaseSnapshot): void;
  /** The case is gone (or no longer visible to this subscriber): end the stream. */
  end(): void;
}

interface Poller {
  kommune: string;
  caseId: string;
  subscribers: Set<Subscriber>;
  timer?: NodeJS.Timeout;
  slow: boolean;
}

export class CaseStreamHub {
  private readonly pollers = new Map<string, Poller>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly read: ReadSnapshot,
    private readonly options: StreamOptions,
  ) {}

  /** How many cases are being polled now (for tests and health). */
  get activeCases(): number {
    return this.pollers.size;
  }

  /** Adds a subscriber; returns the function that removes it. */
  subscribe(caseId: string, subscriber: Subscriber): () => void {
    const key = `${subscriber.access.kommune}/${caseId}`;
    let poller = this.pollers.get(key);
    if (!poller) {
      poller = { kommune: subscriber.access.kommune, caseId, subscribers: new Set(), slow: false };
      this.pollers.set(key, poller);
      this.schedule(key, poller);
    }
    poller.subscribers.add(subscriber);
    return () => {
      poller.subscribers.delete(subscriber);
      if (poller.subscribers.size === 0) this.stop(key, poller);
    };
  }

  /**
   * Stops every poller (server shutdown) and ends subscribers' streams; resolves when no poll is
   * in flight any more, so the Temporal connection can then be closed safely.
   */
  async close(): Promise<void> {
    for (const [key, poller] of this.pollers) {
      for (const s of poller.subscribers) s.end();
      this.stop(key, poller);
    }
    await Promise.allSettled([...this.inFlight]);
  }

  private stop(key: string, poller: Poller): void {
    clearTimeout(poller.timer);
    if (this.pollers.get(key) === poller) this.pollers.delete(key);
  }

  private schedule(key: string, poller: Poller): void {
    const delay = this.options.pollMs * (poller.slow ? this.options.closedSlowdown : 1);
    poller.timer = setTimeout(() => {
      const tick = this.tick(poller).finally(() => {
        this.inFlight.delete(tick);
        if (this.pollers.get(key) === poller) this.schedule(key, poller);
      });
      this.inFlight.add(tick);
    }, delay);
    poller.timer.unref();
  }

  private async tick(poller: Poller): Promise<void> {
    // One read per distinct view; the first answers "did anything change?" for everyone.
    const groups = new Map<string, Subscriber[]>();
    for (const s of poller.subscribers) {
      const member = memberToBe(s.access);
      const viewer =
        member === undefined ? s.access.principal.role : `${s.access.principal.role}\n${member}`;
      groups.set(viewer, [...(groups.get(viewer) ?? []), s]);
    }
    let probe: CaseSnapshot | undefined;
    for (const subscribers of groups.values()) {
      if (probe && subscribers.every((s) => s.revision >= probe!.revision)) continue;
      let snapshot: CaseSnapshot;
      try {
        snapshot = await this.read(subscribers[0].access, poller.caseId);
      } catch (err) {
        if (err instanceof ApiError && err.code === 'CASE_NOT_FOUND') {
          for (const s of subscribers) s.end();
          continue;
        }
        // Temporal down or slow: keep the streams open (heartbeats go on) and try next tick.
        if (!(err instanceof ApiError)) logger.warn(loggableError(err), 'case stream poll failed');
        return;
      }
      probe ??= snapshot;
      poller.slow = snapshot.status !== 'open';
      for (const s of subscribers) {
        if (snapshot.revision > s.revision) {
          s.revision = snapshot.revision;
          s.send(snapshot);
        }
      }
    }
  }
}
