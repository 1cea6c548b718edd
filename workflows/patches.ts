/** Which of the case workflow's `patched()` changes a run has, asked with one marker in new runs. */
import { patched } from '@temporalio/workflow';

/** Every patch of the case workflow so far; a run started on this code has them all. */
export type CasePatch =
  | 'bounded-forms-re2'
  | 'case-log-in-store'
  | 'unopened-case-ends'
  | 'personal-caseload'
  | 'search-attributes-on-change'
  | 'pseudonymous-search-attributes'
  | 'async-mutex-lock'
  | 'wake-timer-kept'
  | 'case-log-local-activity';

/**
 * Patches added after `all-case-patches-2026-11`: a run started before them has that marker too,
 * so each is asked on its own, where it first changes a run.
 */
export type LaterCasePatch = 'unreachable-task' | 'case-log-deferred' | 'hourly-list-times';
const LATER: ReadonlySet<string> = new Set<LaterCasePatch>([
  'unreachable-task',
  'case-log-deferred',
  'hourly-list-times',
]);

export type CasePatches = (patch: CasePatch | LaterCasePatch) => boolean;

/**
 * Asked first thing in every run. Each `patched()` a run asks writes a marker and an upsert of
 * `TemporalChangeVersion` into its history: the eight asked at opening were 16 of a new case's
 * 25 events (issue #12). A run started on this code asks `all-case-patches-2026-12` alone and
 * has every patch above. A run started before has no such marker at its start, so it is told
 * "not patched": one started under `all-case-patches-2026-11` has the patches above and asks
 * each later one on its own where it first changes the run; one started before both asks each
 * patch where it always did. Either way its history replays as recorded. A patch added after
 * this is asked on its own (or under a new marker that covers it).
 */
export function casePatches(): CasePatches {
  // A run started on this code: one marker for every patch, the later ones included.
  if (patched('all-case-patches-2026-12')) return () => true;
  if (patched('all-case-patches-2026-11'))
    return (patch) => (LATER.has(patch) ? patched(patch) : true);
  return (patch) => patched(patch);
}
