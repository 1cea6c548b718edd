/**
 * Single-use links to feedback forms and surveys, and their anonymous answers (#14).
 *
 * The delivery activity issues a token when it sends a link; only the token's SHA-256 hash is
 * kept, with the kommune, survey, month and step it was sent for. Answering marks the token used
 * and stores the answer in one transaction, with the same four facts and nothing that leads back:
 * no token hash on the answer, a random id, no time finer than the month.
 *
 * @module
 */
import { createHash, randomUUID } from 'node:crypto';
import type { SqlDatabase } from './sql-database';

export interface IssueFeedbackToken {
  kommune: string;
  survey: string;
  /** The step the case closed from (or was in, for a survey on a timer). */
  stepClosedFrom: string;
  /** `YYYY-MM` (Europe/Oslo) of sending; the answer is counted in this month. */
  month: string;
  /** The secret in the link; only its hash is stored. */
  token: string;
  expiresAt: string;
}

/** What a link is for; nothing in it names the case or the person. */
export interface FeedbackLink {
  kommune: string;
  survey: string;
  month: string;
  step: string;
}

export type FeedbackLinkState =
  ({ state: 'open' } & FeedbackLink) | { state: 'used' | 'expired' | 'unknown' };

export interface FeedbackAnswerInput {
  /** Question id → option id, or `'1'`…`'5'` on a scale. */
  choices: Record<string, string>;
  /** Question id → free text. */
  texts: Record<string, string>;
}

export interface FeedbackStatsRows {
  responses: Array<{ survey: string; month: string; responses: number }>;
  choices: Array<{ survey: string; month: string; question: string; value: string; count: number }>;
  /** How many answered each free-text question; never the texts (they may name people). */
  texts: Array<{ survey: string; month: string; question: string; count: number }>;
}

/** Bounds of one statistics answer (rows of each kind). */
export const MAX_FEEDBACK_STATS_ROWS = 10_000;

/** The hash a token is kept as: SHA-256, hex. */
export function feedbackTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export class FeedbackStore {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Stores a sent link's token (its hash); issuing the same token again changes nothing. */
  async issue(t: IssueFeedbackToken): Promise<void> {
    await this.db.query(
      `INSERT INTO feedback_token (token_hash, kommune, survey, month, step, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (token_hash) DO NOTHING`,
      [feedbackTokenHash(t.token), t.kommune, t.survey, t.month, t.stepClosedFrom, t.expiresAt],
    );
  }

  /** Whether the link can be answered, and what it is for. */
  async lookup(token: string): Promise<FeedbackLinkState> {
    const [row] = await this.db.query<{
      kommune: string;
      survey: string;
      month: string;
      step: string;
      expires_at: string | Date;
      used: boolean;
    }>(
      'SELECT kommune, survey, month, step, expires_at, used FROM feedback_token WHERE token_hash = $1',
      [feedbackTokenHash(token)],
    );
    if (!row) return { state: 'unknown' };
    if (row.used) return { state: 'used' };
    if (new Date(row.expires_at).getTime() <= this.now().getTime()) return { state: 'expired' };
    return {
      state: 'open',
      kommune: row.kommune,
      survey: row.survey,
      month: row.month,
      step: row.step,
    };
  }

  /**
   * Marks the token used and stores the answer, atomically: of two answers at once exactly one
   * is stored, the other gets `used`. Anything but an open link stores nothing.
   */
  async answer(
    token: string,
    answer: FeedbackAnswerInput,
  ): Promise<{ state: 'answered' } | { state: 'used' | 'expired' | 'unknown' }> {
    const hash = feedbackTokenHash(token);
    const stored = await this.db.transaction(async (tx) => {
      const [link] = await tx.query<FeedbackLink>(
        `UPDATE feedback_token SET used = true
         WHERE token_hash = $1 AND NOT used AND expires_at > $2
         RETURNING kommune, survey, month, step`,
        [hash, this.now().toISOString()],
      );
      if (!link) return false;
      await tx.query(
        `INSERT INTO feedback_answer (id, kommune, survey, month, step, choices, texts)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          randomUUID(),
          link.kommune,
          link.survey,
          link.month,
          link.step,
          JSON.stringify(answer.choices),
          JSON.stringify(answer.texts),
        ],
      );
      return true;
    });
    if (stored) return { state: 'answered' };
    const state = await this.lookup(token);
    // Open again here only if the link expired between the two reads' clocks: call it expired.
    return { state: state.state === 'open' ? 'expired' : state.state };
  }

  /** The kommune's answers, counted per survey and month; of free texts only how many. */
  async stats(kommune: string): Promise<FeedbackStatsRows> {
    const [responses, choices, texts] = await Promise.all([
      this.db.query<{ survey: string; month: string; responses: number }>(
        `SELECT survey, month, count(*)::int AS responses FROM feedback_answer
         WHERE kommune = $1 GROUP BY survey, month ORDER BY month, survey LIMIT $2`,
        [kommune, MAX_FEEDBACK_STATS_ROWS],
      ),
      this.db.query<{
        survey: string;
        month: string;
        question: string;
        value: string;
        count: number;
      }>(
        `SELECT a.survey, a.month, c.key AS question, c.value, count(*)::int AS count
         FROM feedback_answer a CROSS JOIN LATERAL jsonb_each_text(a.choices) c
         WHERE a.kommune = $1 GROUP BY a.survey, a.month, c.key, c.value
         ORDER BY a.month, a.survey, c.key, c.value LIMIT $2`,
        [kommune, MAX_FEEDBACK_STATS_ROWS],
      ),
      this.db.query<{ survey: string; month: string; question: string; count: number }>(
        `SELECT a.survey, a.month, t.key AS question, count(*)::int AS count
         FROM feedback_answer a CROSS JOIN LATERAL jsonb_object_keys(a.texts) t(key)
         WHERE a.kommune = $1 GROUP BY a.survey, a.month, t.key
         ORDER BY a.month, a.survey, t.key LIMIT $2`,
        [kommune, MAX_FEEDBACK_STATS_ROWS],
      ),
    ]);
    return { responses, choices, texts };
  }
}
