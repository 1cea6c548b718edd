import type { CaseFact } from '../machines/case-facts';
import type { SqlExecutor } from './sql-database';

/** A log entry as it reaches the store, with the facts its change gave (machines/case-facts.ts). */
export interface EntryWithFacts {
  seq: number;
  at: string;
  facts?: CaseFact[];
}

/** The time a figure covers: `[from, to)`; `asOf` is the moment open cases are counted at. */
export interface FactRange {
  from: string;
  to: string;
  asOf: string;
}

/** Which cases the figures count, by where they stand at `asOf`. */
export interface FactFilter {
  level?: number;
  step?: string;
  /** A field with an `enum` in the config, and one of its values (e.g. the case type). */
  field?: string;
  value?: string;
}

export interface FactFigures {
  newCases: Array<{ month: string; referralSource: string; count: number }>;
  open: Array<{ level: number; step: string; count: number }>;
  funnel: Array<{ step: string; entered: number }>;
  timeInStep: Array<{
    step: string;
    visits: number;
    medianMs: number;
    p90Ms: number;
    meanMs: number;
  }>;
  casesWithVisits: number;
  overdue: Array<{ step: string; flagged: number; pastDue: number }>;
  outcomes: Array<{ outcome: string; reason: string | null; count: number }>;
  reopened: number;
  escalations: number;
  notified: number;
  notificationsFailed: number;
  caseloads: Array<{ holder: string; role: string | null; openCases: number }>;
  holdersLimited: boolean;
  fields: Array<{ field: string; value: string; cases: number }>;
}

/** Rows of one insert at most: 9 parameters each, far below PostgreSQL's 65,535. */
const INSERT_ROWS = 2_000;
/** The longest `value`/`detail` kept: config ids and a step's closing reason are far shorter. */
const TEXT_MAX = 500;
/** The caseload table's rows at most: one per holder with open cases. */
export const CASELOAD_ROWS = 1_000;
/** Cases asked about in one query of `missedDeadlines`. */
const MISSED_IDS = 1_000;

const POSITION_KINDS = `('opened', 'stepEntered', 'levelChanged', 'closed', 'reopened')`;
const STATUS_KINDS = `('opened', 'closed', 'reopened')`;

/**
 * The statistics' facts of every case (table `case_facts`), written with the case's log by the
 * same activity, and the figures read from them: nothing here reads Temporal, so closed cases
 * count after the namespace's retention has dropped them.
 *
 * @example
 * const figures = await caseLog.facts.figures('lorenskog', range, {});
 */
/**
 * How often the figures refresh the planner's statistics of `case_facts` first. PGlite runs no
 * autovacuum, and without statistics its plans for the figures' joins take seconds: at 10,000
 * cases 19.7 s against 0.5 s after `ANALYZE` (`npm run bench:stats`), all of it blocking the
 * process that holds the embedded store. On PostgreSQL it is cheap and autovacuum's job anyway.
 */
const ANALYZE_EVERY_MS = 10 * 60_000;

export class CaseFacts {
  private analyzedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly db: SqlExecutor) {}

  /** Writes the entries' facts; one already stored under its key stays as it is. */
  async append(kommune: string, caseId: string, entries: readonly EntryWithFacts[]): Promise<void> {
    const rows = entries.flatMap((e) => (e.facts ?? []).map((fact, n) => ({ e, fact, n })));
    for (let i = 0; i < rows.length; i += INSERT_ROWS) {
      const params: unknown[] = [kommune, caseId];
      const values = rows.slice(i, i + INSERT_ROWS).map(({ e, fact, n }) => {
        params.push(
          e.seq,
          n,
          fact.kind,
          e.at,
          fact.step,
          fact.level,
          clip(fact.value),
          clip(fact.detail),
          fact.dueAt ?? null,
        );
        const p = params.length;
        return `($1, $2, $${p - 8}, $${p - 7}, $${p - 6}, $${p - 5}, $${p - 4}, $${p - 3}, $${p - 2}, $${p - 1}, $${p})`;
      });
      await this.db.query(
        `INSERT INTO case_facts (kommune, case_id, seq, n, kind, at, step, level, value, detail, due_at)
         VALUES ${values.join(', ')} ON CONFLICT DO NOTHING`,
        params,
      );
    }
  }

  /**
   * The cases with a message that could not be delivered at or after `since`, with the last such
   * time: the live model's incident list takes the running ones. At most `limit`, newest first.
   */
  async undelivered(kommune: string, since: string, limit: number): Promise<Map<string, string>> {
    const rows = await this.db.query<{ case_id: string; at: Date | string }>(
      `SELECT case_id, max(at) AS at FROM case_facts
       WHERE kommune = $1 AND kind = 'notificationFailed' AND at >= $2
       GROUP BY case_id ORDER BY 2 DESC LIMIT $3`,
      [kommune, since, limit],
    );
    return new Map(rows.map((r) => [r.case_id, new Date(r.at).toISOString()]));
  }

  /**
   * For each of `caseIds` marked overdue, the due time that passed then: the case's next due time
   * just before the change that marked it. Visibility no longer has it once the timer has fired,
   * and the live model's incident list says since when a case is late.
   */
  async missedDeadlines(kommune: string, caseIds: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (let i = 0; i < caseIds.length; i += MISSED_IDS) {
      const rows = await this.db.query<{ case_id: string; due_at: Date | string }>(
        `WITH marked AS (
           SELECT case_id, max(seq) AS seq FROM case_facts
           WHERE kommune = $1 AND case_id = ANY($2) AND kind = 'overdueMarked' GROUP BY case_id
         )
         SELECT DISTINCT ON (f.case_id) f.case_id, f.due_at
         FROM case_facts f JOIN marked m ON f.case_id = m.case_id AND f.seq < m.seq
         WHERE f.kommune = $1 AND f.kind = 'dueChanged' AND f.due_at IS NOT NULL
         ORDER BY f.case_id, f.seq DESC, f.n DESC`,
        [kommune, caseIds.slice(i, i + MISSED_IDS)],
      );
      for (const r of rows) found.set(r.case_id, new Date(r.due_at).toISOString());
    }
    return found;
  }

  /** Every figure of the statistics for one kommune, range and filter. */
  async figures(kommune: string, range: FactRange, filter: FactFilter): Promise<FactFigures> {
    if (Date.now() - this.analyzedAt > ANALYZE_EVERY_MS) {
      this.analyzedAt = Date.now();
      await this.db.query('ANALYZE case_facts');
    }
    const params: unknown[] = [kommune, range.from, range.to, range.asOf];
    const scope = scopeSql(filter, params);
    const q = <R>(sql: string) => this.db.query<R>(`WITH ${scope.ctes} ${sql}`, params);
    const inScope = scope.where('case_id');
    const inRange = `kommune = $1 AND at >= $2 AND at < $3 ${inScope}`;

    const newCases = await q<{ month: string; referral_source: string; count: string }>(
      `SELECT to_char(at AT TIME ZONE 'Europe/Oslo', 'YYYY-MM') AS month,
              coalesce(value, 'unknown') AS referral_source, count(*) AS count
       FROM case_facts WHERE kind = 'opened' AND ${inRange}
       GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    const open = await q<{ level: number; step: string; count: string }>(
      `SELECT p.level, p.step, count(*) AS count FROM position p LEFT JOIN status s USING (case_id)
       WHERE s.kind IS DISTINCT FROM 'closed' ${scope.where('p.case_id')}
       GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    const funnel = await q<{ step: string; entered: string }>(
      `SELECT step, count(DISTINCT case_id) AS entered FROM case_facts
       WHERE kind = 'stepEntered' AND ${inRange} GROUP BY step`,
    );
    // A visit is a step's entry and the leaving that follows it in the case's own order; it
    // counts in the range it ended in, however long before that it began.
    const visits = await q<{
      step: string;
      visits: string;
      cases: string;
      median_ms: number;
      p90_ms: number;
      mean_ms: number;
    }>(
      `, ordered AS (
         SELECT case_id, kind, step, at,
                lag(kind) OVER w AS prev_kind, lag(step) OVER w AS prev_step, lag(at) OVER w AS prev_at
         FROM case_facts
         WHERE kommune = $1 AND kind IN ('stepEntered', 'stepLeft') AND at < $3 ${inScope}
         WINDOW w AS (PARTITION BY case_id ORDER BY seq, n)
       ), visit AS (
         SELECT case_id, step, extract(epoch FROM at - prev_at) * 1000 AS ms FROM ordered
         WHERE kind = 'stepLeft' AND prev_kind = 'stepEntered' AND prev_step = step AND at >= $2
       )
       SELECT step, count(*) AS visits, count(DISTINCT case_id) AS cases,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS median_ms,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY ms) AS p90_ms,
              avg(ms) AS mean_ms
       FROM visit GROUP BY ROLLUP (step)`,
    );
    const overdue = await q<{ step: string; flagged: string; past_due: string }>(
      `, entered AS (
         SELECT DISTINCT ON (case_id) case_id, seq, n FROM case_facts
         WHERE kommune = $1 AND kind = 'stepEntered' AND at < $4 ${inScope}
         ORDER BY case_id, seq DESC, n DESC
       ), marked AS (
         SELECT DISTINCT ON (case_id) case_id, seq, n FROM case_facts
         WHERE kommune = $1 AND kind = 'overdueMarked' AND at < $4 ${inScope}
         ORDER BY case_id, seq DESC, n DESC
       ), due AS (
         SELECT DISTINCT ON (case_id) case_id, due_at FROM case_facts
         WHERE kommune = $1 AND kind = 'dueChanged' AND at < $4 ${inScope}
         ORDER BY case_id, seq DESC, n DESC
       )
       SELECT p.step,
              count(*) FILTER (WHERE (m.seq, m.n) >= (e.seq, e.n)) AS flagged,
              count(*) FILTER (WHERE d.due_at < $4) AS past_due
       FROM position p LEFT JOIN status s USING (case_id)
         LEFT JOIN entered e USING (case_id) LEFT JOIN marked m USING (case_id)
         LEFT JOIN due d USING (case_id)
       WHERE s.kind IS DISTINCT FROM 'closed' ${scope.where('p.case_id')}
       GROUP BY p.step`,
    );
    const outcomes = await q<{ outcome: string; reason: string | null; count: string }>(
      `SELECT value AS outcome, detail AS reason, count(*) AS count FROM case_facts
       WHERE kind = 'closed' AND ${inRange} GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    const counts = await q<{
      reopened: string;
      escalations: string;
      notified: string;
      failed: string;
    }>(
      `SELECT count(*) FILTER (WHERE kind = 'reopened') AS reopened,
              count(*) FILTER (WHERE kind = 'escalated') AS escalations,
              count(*) FILTER (WHERE kind = 'notified') AS notified,
              count(*) FILTER (WHERE kind = 'notificationFailed') AS failed
       FROM case_facts
       WHERE kind IN ('reopened', 'escalated', 'notified', 'notificationFailed') AND ${inRange}`,
    );
    const caseloads = await q<{ holder: string; role: string | null; open_cases: string }>(
      `, holder AS (
         SELECT DISTINCT ON (case_id) case_id, value, detail FROM case_facts
         WHERE kommune = $1 AND kind = 'holderChanged' AND at < $4 ${inScope}
         ORDER BY case_id, seq DESC, n DESC
       )
       SELECT h.value AS holder, h.detail AS role, count(*) AS open_cases
       FROM holder h LEFT JOIN status s USING (case_id)
       WHERE s.kind IS DISTINCT FROM 'closed' AND h.value IS NOT NULL
       GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT ${CASELOAD_ROWS + 1}`,
    );
    const fields = await q<{ field: string; value: string; cases: string }>(
      `SELECT detail AS field, value, count(DISTINCT case_id) AS cases FROM case_facts
       WHERE kind = 'fieldSet' AND ${inRange} GROUP BY 1, 2 ORDER BY 1, 2`,
    );

    const total = visits.find((v) => v.step === null);
    return {
      newCases: newCases.map((r) => ({
        month: r.month,
        referralSource: r.referral_source,
        count: Number(r.count),
      })),
      open: open.map((r) => ({ level: Number(r.level), step: r.step, count: Number(r.count) })),
      funnel: funnel.map((r) => ({ step: r.step, entered: Number(r.entered) })),
      timeInStep: visits
        .filter((v) => v.step !== null)
        .map((v) => ({
          step: v.step,
          visits: Number(v.visits),
          medianMs: Number(v.median_ms),
          p90Ms: Number(v.p90_ms),
          meanMs: Number(v.mean_ms),
        })),
      casesWithVisits: total ? Number(total.cases) : 0,
      overdue: overdue
        .map((r) => ({ step: r.step, flagged: Number(r.flagged), pastDue: Number(r.past_due) }))
        .filter((r) => r.flagged > 0 || r.pastDue > 0),
      outcomes: outcomes.map((r) => ({
        outcome: r.outcome,
        reason: r.reason,
        count: Number(r.count),
      })),
      reopened: Number(counts[0]?.reopened ?? 0),
      escalations: Number(counts[0]?.escalations ?? 0),
      notified: Number(counts[0]?.notified ?? 0),
      notificationsFailed: Number(counts[0]?.failed ?? 0),
      caseloads: caseloads.slice(0, CASELOAD_ROWS).map((r) => ({
        holder: r.holder,
        role: r.role,
        openCases: Number(r.open_cases),
      })),
      holdersLimited: caseloads.length > CASELOAD_ROWS,
      fields: fields.map((r) => ({ field: r.field, value: r.value, cases: Number(r.cases) })),
    };
  }
}

function clip(text: string | null | undefined): string | null {
  return text === undefined || text === null ? null : text.slice(0, TEXT_MAX);
}

/**
 * Where each case stands at `asOf` ($4): `position` (step and level, the latest fact that has
 * them) and `status` (closed when its latest opening, closing or reopening is a closing; a case
 * with none, whose facts began with a later change, is open); and,
 * with a filter, `scope`: the cases at that level or step, or with that field value, at `asOf`.
 */
function scopeSql(
  filter: FactFilter,
  params: unknown[],
): { ctes: string; where: (column: string) => string } {
  const latest = (kinds: string, extra = '') =>
    `SELECT DISTINCT ON (case_id) case_id, kind, step, level, value FROM case_facts
     WHERE kommune = $1 AND kind IN ${kinds} AND at < $4 ${extra}
     ORDER BY case_id, seq DESC, n DESC`;
  const ctes = [
    // Names every parameter's type, also in the queries that use only some of them.
    'bounds AS (SELECT $1::text AS kommune, $2::timestamptz AS from_at, $3::timestamptz AS to_at, $4::timestamptz AS as_of)',
    `position AS (${latest(POSITION_KINDS)})`,
    `status AS (${latest(STATUS_KINDS)})`,
  ];
  const conditions: string[] = [];
  if (filter.level !== undefined) {
    params.push(filter.level);
    conditions.push(`IN (SELECT case_id FROM position WHERE level = $${params.length})`);
  }
  if (filter.step !== undefined) {
    params.push(filter.step);
    conditions.push(`IN (SELECT case_id FROM position WHERE step = $${params.length})`);
  }
  if (filter.field !== undefined && filter.value !== undefined) {
    params.push(filter.field, filter.value);
    ctes.push(`field AS (${latest(`('fieldSet')`, `AND detail = $${params.length - 1}`)})`);
    conditions.push(`IN (SELECT case_id FROM field WHERE value = $${params.length})`);
  }
  return {
    ctes: ctes.join(', '),
    where: (column) => conditions.map((c) => `AND ${column} ${c}`).join(' '),
  };
}
