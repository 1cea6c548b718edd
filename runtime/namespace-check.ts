/**
 * What the engine needs of a Temporal namespace before a worker polls it: every search attribute
 * a case writes, registered with its type. A case that upserts an unregistered attribute fails
 * its workflow task again and again and stands still; a worker that refuses to start says so at
 * once, by name, in the log and on /health.
 *
 * @module
 */
import type { ConnectionLike } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { searchAttributeRegistrations } from '../workflows/search-attributes';

const types = temporal.api.enums.v1.IndexedValueType;
const IndexedTypes: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  Keyword: types.INDEXED_VALUE_TYPE_KEYWORD,
  Int: types.INDEXED_VALUE_TYPE_INT,
  Bool: types.INDEXED_VALUE_TYPE_BOOL,
  Datetime: types.INDEXED_VALUE_TYPE_DATETIME,
  KeywordList: types.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  Text: types.INDEXED_VALUE_TYPE_TEXT,
  Double: types.INDEXED_VALUE_TYPE_DOUBLE,
};

/** The engine's search attributes as the operator API names their types. */
export function indexedSearchAttributes(): Record<string, temporal.api.enums.v1.IndexedValueType> {
  return Object.fromEntries(
    Object.entries(searchAttributeRegistrations).map(([name, type]) => [name, IndexedTypes[type]]),
  );
}

/** One line per attribute the namespace lacks or has with another type; empty when ready. */
export function namespaceGaps(
  registered: Readonly<Record<string, temporal.api.enums.v1.IndexedValueType | null | undefined>>,
): string[] {
  const gaps: string[] = [];
  for (const [name, type] of Object.entries(searchAttributeRegistrations)) {
    const has = registered[name];
    if (has === undefined || has === null)
      gaps.push(
        `${name} is not registered (temporal operator search-attribute create --name ${name} --type ${type})`,
      );
    else if (has !== IndexedTypes[type])
      gaps.push(`${name} is registered as ${types[has]}, the engine writes ${type}`);
  }
  return gaps;
}

export class NamespaceNotReady extends Error {}

/**
 * Throws `NamespaceNotReady` naming every missing attribute. A server that does not let this
 * process list attributes (no operator permission) is trusted as configured: the check is a
 * guard, not a gate that would stop a working deployment.
 */
export async function assertNamespaceReady(
  connection: ConnectionLike,
  namespace: string,
): Promise<void> {
  let registered: Record<string, temporal.api.enums.v1.IndexedValueType>;
  try {
    const answer = await connection.operatorService.listSearchAttributes({ namespace });
    registered = answer.customAttributes ?? {};
  } catch (err) {
    const code = (err as { code?: number }).code;
    // gRPC PERMISSION_DENIED (7) and UNIMPLEMENTED (12): not ours to check.
    if (code === 7 || code === 12) return;
    throw err;
  }
  const gaps = namespaceGaps(registered);
  if (gaps.length > 0)
    throw new NamespaceNotReady(
      `namespace ${namespace} is not ready for cases: ${gaps.join('; ')}`,
    );
}

const DAY_S = 86_400;

export type RetentionCheck =
  | { kind: 'kept'; days: number }
  | { kind: 'set'; fromDays: number; days: number }
  | { kind: 'shorter'; days: number; wantedDays: number }
  | { kind: 'unknown' };

/**
 * How long the namespace keeps a closed case's history and visibility. On the embedded server,
 * which is ours, it is set to `days` (temporal.yaml `retentionDays`); on a cluster someone else
 * runs, a shorter one is reported, not changed: retention there is the operator's decision.
 */
export async function checkRetention(
  connection: ConnectionLike,
  namespace: string,
  days: number,
  own: boolean,
): Promise<RetentionCheck> {
  let seconds: number;
  try {
    const answer = await connection.workflowService.describeNamespace({ namespace });
    seconds = Number(answer.config?.workflowExecutionRetentionTtl?.seconds ?? 0);
  } catch (err) {
    const code = (err as { code?: number }).code;
    if (code === 7 || code === 12) return { kind: 'unknown' };
    throw err;
  }
  const current = seconds / DAY_S;
  if (current === days || (!own && current > days)) return { kind: 'kept', days: current };
  if (!own) return { kind: 'shorter', days: current, wantedDays: days };
  await connection.workflowService.updateNamespace({
    namespace,
    config: { workflowExecutionRetentionTtl: msToTs(days * DAY_S * 1000) },
  });
  return { kind: 'set', fromDays: current, days };
}
