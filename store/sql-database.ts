/**
 * The little the config store needs from a SQL database, so one set of queries runs on the
 * embedded PGlite and on a PostgreSQL server alike. Parameters are `$1, $2 …`; jsonb values are
 * passed as JSON text and come back parsed.
 */
export interface SqlExecutor {
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface SqlDatabase extends SqlExecutor {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** PGlite only: the whole database as a tarball, to start another in-memory one from. */
  dumpDataDir?(): Promise<Blob>;
  close(): Promise<void>;
}

/** SQLSTATE codes the store reacts to. */
export const SqlStates = {
  uniqueViolation: '23505',
  restrictViolation: '23001',
} as const;

export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
