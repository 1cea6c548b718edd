/**
 * Family sessions signed out before they expire, shared by every API process on the store: a
 * copy of a signed-out cookie is refused by all of them, also by one started after the sign-out.
 * Only a hash of the session id is stored (the id is a bearer secret), with the time the session
 * would have expired anyway; rows past it are pruned at each sign-out.
 *
 * A sign-out is seen by every process at once: only "ended" answers are cached here (they stay
 * true until the session expires), "not ended" is asked of the store each time, one primary-key
 * lookup per request that carries a family session cookie.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import type { SqlDatabase } from './sql-database';

/** Ended sessions remembered in the process at most; past it, the longest remembered go first. */
const MAX_CACHED = 10_000;

/** The stored form of a session id: its SHA-256, base64url (43 characters). */
export function sessionIdHash(sid: string): string {
  return createHash('sha256').update(`sluse-family-session\n${sid}`).digest('base64url');
}

export class EndedSessions {
  /** Hashes known to be ended, with their expiry in ms since epoch. */
  private readonly cached = new Map<string, number>();

  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Records the session as ended until `expiresAt`, and prunes the rows that have expired. */
  async end(sid: string, expiresAt: Date): Promise<void> {
    const hash = sessionIdHash(sid);
    await this.db.query(
      `INSERT INTO ended_family_session (sid_hash, expires_at) VALUES ($1, $2::timestamptz)
       ON CONFLICT (sid_hash) DO UPDATE
       SET expires_at = GREATEST(ended_family_session.expires_at, EXCLUDED.expires_at)`,
      [hash, expiresAt.toISOString()],
    );
    this.remember(hash, expiresAt.getTime());
    await this.prune();
  }

  /** True when the session was signed out (here or in another process) and has not expired. */
  async isEnded(sid: string): Promise<boolean> {
    const hash = sessionIdHash(sid);
    const now = this.now();
    const until = this.cached.get(hash);
    if (until !== undefined) {
      if (until > now.getTime()) return true;
      this.cached.delete(hash);
    }
    const [row] = await this.db.query<{ expires_at: string | Date }>(
      `SELECT expires_at FROM ended_family_session
       WHERE sid_hash = $1 AND expires_at > $2::timestamptz`,
      [hash, now.toISOString()],
    );
    if (!row) return false;
    this.remember(hash, new Date(row.expires_at).getTime());
    return true;
  }

  /** Deletes the rows of sessions that have expired anyway; returns how many. */
  async prune(): Promise<number> {
    const rows = await this.db.query<{ sid_hash: string }>(
      `DELETE FROM ended_family_session WHERE expires_at <= $1::timestamptz RETURNING sid_hash`,
      [this.now().toISOString()],
    );
    return rows.length;
  }

  private remember(hash: string, until: number): void {
    if (this.cached.size >= MAX_CACHED) {
      const now = this.now().getTime();
      for (const [h, u] of this.cached) if (u <= now) this.cached.delete(h);
      // Still full: forget the oldest entries; the store still answers for them.
      for (const h of this.cached.keys()) {
        if (this.cached.size < MAX_CACHED) break;
        this.cached.delete(h);
      }
    }
    this.cached.set(hash, until);
  }
}
