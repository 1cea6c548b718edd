/**
 * Who read which case (#19): every read of a case's data through the API (its snapshot, its
 * log, a live stream opened on it) is recorded here before it is answered, with the reader as a
 * pseudonym (machines/pseudonym.ts: a keyed hash of the user id, as in search attributes) and
 * role, the time and what was read. Nothing of the case itself. The table is append-only.
 *
 * @module
 */
import type { SqlExecutor } from './sql-database';

export const CaseReads = ['snapshot', 'history', 'stream', 'export'] as const;
export type CaseRead = (typeof CaseReads)[number];

export interface CaseAccess {
  kommune: string;
  caseId: string;
  /** The reader's pseudonym, never the raw user id. */
  reader: string;
  role: string;
  what: CaseRead;
}

export interface CaseAccessEntry extends CaseAccess {
  at: string;
}

/** One page of the log at most. */
export const ACCESS_LOG_PAGE = 200;

interface Row {
  kommune: string;
  case_id: string;
  reader: string;
  role: string;
  what: CaseRead;
  at: string | Date;
}

const entryOf = (r: Row): CaseAccessEntry => ({
  kommune: r.kommune,
  caseId: r.case_id,
  reader: r.reader,
  role: r.role,
  what: r.what,
  at: new Date(r.at).toISOString(),
});

export class CaseAccessLog {
  constructor(private readonly db: SqlExecutor) {}

  async record(read: CaseAccess): Promise<void> {
    await this.db.query(
      'INSERT INTO case_access_log (kommune, case_id, reader, role, what) VALUES ($1, $2, $3, $4, $5)',
      [read.kommune, read.caseId, read.reader, read.role, read.what],
    );
  }

  /** The reads of one case, newest first. */
  ofCase(kommune: string, caseId: string, limit = ACCESS_LOG_PAGE): Promise<CaseAccessEntry[]> {
    return this.newest(kommune, 'case_id', caseId, limit);
  }

  /** The reads by one person (their pseudonym) in a kommune, newest first. */
  ofReader(kommune: string, reader: string, limit = ACCESS_LOG_PAGE): Promise<CaseAccessEntry[]> {
    return this.newest(kommune, 'reader', reader, limit);
  }

  private async newest(
    kommune: string,
    column: 'case_id' | 'reader',
    value: string,
    limit: number,
  ): Promise<CaseAccessEntry[]> {
    const rows = await this.db.query<Row>(
      `SELECT kommune, case_id, reader, role, what, at FROM case_access_log
       WHERE kommune = $1 AND ${column} = $2 ORDER BY id DESC LIMIT $3`,
      [kommune, value, Math.min(limit, ACCESS_LOG_PAGE)],
    );
    return rows.map(entryOf);
  }
}
