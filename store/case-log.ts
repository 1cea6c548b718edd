import { openJson, sealJson, type Sealer } from '../runtime/key-ring';
import type { CaseFact } from '../machines/case-facts';
import { CaseFacts } from './case-facts';
import type { SqlExecutor } from './sql-database';

/** A log entry's place in its case's log: 1, 2, 3 … across continue-as-new. */
export interface Sequenced {
  seq: number;
  /** Set on entries from the case workflow: when, and what the statistics count of it. */
  at?: string;
  facts?: CaseFact[];
}

/** What a row's sealed bytes hold: the entry and whose it is, so a row moved to another case is caught. */
interface SealedEntry<T> {
  kommune: string;
  caseId: string;
  entry: T;
}

/**
 * The stafettlogg of every case, in the store's database (table `case_log`). The case workflow
 * writes each entry once and then forgets it, so a case's log grows here, not in workflow
 * state; readers get the complete log from here plus what the workflow has not written yet.
 * Entries are sealed: only kommune, case id and seq are in clear.
 *
 * @example
 * const log = new CaseLog(db, createSealer(loadKeyRing(dataDir())));
 * const entries = await log.complete(kommune, caseId, () => handle.query(historyQuery));
 */
export class CaseLog {
  /** The statistics' facts, written here with the entries they came with. */
  readonly facts: CaseFacts;

  constructor(
    private readonly db: SqlExecutor,
    private readonly sealer: Sealer,
  ) {
    this.facts = new CaseFacts(db);
  }

  /**
   * Writes the entries, and their facts to `case_facts`; one already stored under its seq stays
   * as it is (retries and replays write the same). The facts are not sealed into the entry: they
   * are the statistics' and are stored in clear beside it.
   */
  async append(kommune: string, caseId: string, entries: readonly Sequenced[]): Promise<void> {
    if (entries.length === 0) return;
    // Facts first: a write that fails between the two is retried whole, and both are idempotent.
    await this.facts.append(
      kommune,
      caseId,
      entries.flatMap((e) => (e.facts && e.at ? [{ seq: e.seq, at: e.at, facts: e.facts }] : [])),
    );
    const params: unknown[] = [kommune, caseId];
    const rows = entries.map((withFacts) => {
      const entry = withoutFacts(withFacts);
      params.push(
        entry.seq,
        sealJson(this.sealer, { kommune, caseId, entry } satisfies SealedEntry<Sequenced>),
      );
      return `($1, $2, $${params.length - 1}, $${params.length})`;
    });
    await this.db.query(
      `INSERT INTO case_log (kommune, case_id, seq, entry) VALUES ${rows.join(', ')} ON CONFLICT DO NOTHING`,
      params,
    );
  }

  /** The stored entries of one case, in order. */
  async read<T extends Sequenced>(kommune: string, caseId: string): Promise<T[]> {
    const rows = await this.db.query<{ seq: number; entry: Uint8Array }>(
      'SELECT seq, entry FROM case_log WHERE kommune = $1 AND case_id = $2 ORDER BY seq',
      [kommune, caseId],
    );
    return rows.map((row) => {
      const sealed = openJson<SealedEntry<T>>(this.sealer, row.entry);
      if (sealed.kommune !== kommune || sealed.caseId !== caseId || sealed.entry.seq !== row.seq) {
        throw new Error(`case log row ${row.seq} of ${caseId} holds another case's entry`);
      }
      return sealed.entry;
    });
  }

  /**
   * The complete log: the stored entries plus the workflow's unwritten tail, each seq once, in
   * order. The tail is read first: an entry leaves the tail only once it is stored, so none can
   * slip between the two reads.
   */
  async complete<T extends Sequenced>(
    kommune: string,
    caseId: string,
    readTail: () => Promise<T[]>,
  ): Promise<T[]> {
    const tail = await readTail();
    const bySeq = new Map((await this.read<T>(kommune, caseId)).map((e) => [e.seq, e]));
    for (const entry of tail) if (!bySeq.has(entry.seq)) bySeq.set(entry.seq, withoutFacts(entry));
    return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  }
}

/** The entry as its readers see it: the statistics' facts are not part of the case's history. */
function withoutFacts<T extends Sequenced>(entry: T): T {
  if (entry.facts === undefined) return entry;
  const { facts: _facts, ...rest } = entry;
  return rest as T;
}
