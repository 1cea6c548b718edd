/**
 * Anonymous counts of completed online self-assessments: per kommune, month (Europe/Oslo), age
 * band and result band. The only trace a screening leaves; what the family answered is never
 * written anywhere.
 *
 * @module
 */
import type { SqlDatabase } from './sql-database';

export interface ScreeningCount {
  /** `YYYY-MM`. */
  month: string;
  ageBand: string;
  resultBand: string;
  completed: number;
}

/** At most this many rows in one answer (months × age bands × result bands; 6 × 6 a month). */
export const MAX_SCREENING_COUNT_ROWS = 10_000;

const osloMonth = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Oslo',
  year: 'numeric',
  month: '2-digit',
});

/** The month (`YYYY-MM`) of an instant, as people in Norway name it. */
export function screeningMonth(at: Date): string {
  const parts = Object.fromEntries(osloMonth.formatToParts(at).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}`;
}

export class ScreeningCounts {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Counts one completed screening in this month. */
  async count(kommune: string, ageBand: string, resultBand: string): Promise<void> {
    await this.db.query(
      `INSERT INTO screening_count (kommune, month, age_band, result_band, completed)
       VALUES ($1, $2, $3, $4, 1)
       ON CONFLICT (kommune, month, age_band, result_band)
       DO UPDATE SET completed = screening_count.completed + 1`,
      [kommune, screeningMonth(this.now()), ageBand, resultBand],
    );
  }

  /** The kommune's counts, oldest month first. */
  async list(kommune: string): Promise<ScreeningCount[]> {
    const rows = await this.db.query<{
      month: string;
      age_band: string;
      result_band: string;
      completed: number;
    }>(
      `SELECT month, age_band, result_band, completed FROM screening_count
       WHERE kommune = $1 ORDER BY month, age_band, result_band LIMIT $2`,
      [kommune, MAX_SCREENING_COUNT_ROWS],
    );
    return rows.map((r) => ({
      month: r.month,
      ageBand: r.age_band,
      resultBand: r.result_band,
      completed: r.completed,
    }));
  }
}
