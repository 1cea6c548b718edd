/** Which of the case workflow's `patched()` changes a run has, asked with one marker in new runs. */
import { patched } from '@temporalio/workflow';

/** The patches `all-case-patches-2026-11` stands for. */
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

/** Added after `all-case-patches-2026-11`; `all-case-patches-2026-12` stands for them too. */
export type Patch2026_12 = 'unreachable-task' | 'case-log-deferred' | 'hourly-list-times';
const IN_2026_12: ReadonlySet<string> = new Set<Patch2026_12>([
  'unreachable-task',
  'case-log-deferred',
  'hourly-list-times',
]);

/** Added after `all-case-patches-2026-12`; `all-case-patches-2027-01` stands for them too. */
export type Patch2027_01 = 'list-attributes-on-change' | 'case-log-timely';
const IN_2027_01: ReadonlySet<string> = new Set<Patch2027_01>([
  'list-attributes-on-change',
  'case-log-timely',
]);

/** Added after `all-case-patches-2027-01`; `all-case-patches-2027-02` stands for them too. */
export type Patch2027_02 = 'case-log-at-open';
const IN_2027_02: ReadonlySet<string> = new Set<Patch2027_02>(['case-log-at-open']);

/** Added after `all-case-patches-2027-02`; `all-case-patches-2027-03` stands for them too. */
export type Patch2027_03 = 'wake-on-commit' | 'sync-commands' | 'log-write-at-once';
const IN_2027_03: ReadonlySet<string> = new Set<Patch2027_03>([
  'wake-on-commit',
  'sync-commands',
  'log-write-at-once',
]);

/** Added after `all-case-patches-2027-03`: asked on their own in every run. */
export type LaterCasePatch = never;

export type CasePatches = (
  patch: CasePatch | Patch2026_12 | Patch2027_01 | Patch2027_02 | Patch2027_03 | LaterCasePatch,
) => boolean;

/**
 * Asked first thing in every run. Each `patched()` a run asks writes a marker and an upsert of
 * `TemporalChangeVersion` into its history: the eight asked at opening were 16 of a new case's
 * 25 events (issue #12). So a run started on this code asks one marker,
 * `all-case-patches-2027-03`, which stands for every patch of the five lists above (runs
 * started under an earlier umbrella have its patches and ask the later ones); a patch added
 * later is asked on its own, where it first changes a run, in every run (a marker only ever
 * stands for the patches that existed when it was made: runs recorded under it must replay as
 * they ran). A run started under `all-case-patches-2026-11` has its patches and asks the later
 * ones; a run from before both asks each patch where it always did.
 */
export function casePatches(): CasePatches {
  // Newest first, and each asked only when the newer were not: the order a run asks them in is
  // the order its history holds them in.
  for (let i = 0; i < UMBRELLAS.length; i++) {
    if (!patched(UMBRELLAS[i].marker)) continue;
    const covered = UMBRELLAS.slice(i).map((u) => u.patches);
    return (patch) => covered.some((set) => set.has(patch)) || patched(patch);
  }
  return (patch) => patched(patch);
}

const IN_2026_11: ReadonlySet<string> = new Set<CasePatch>([
  'bounded-forms-re2',
  'case-log-in-store',
  'unopened-case-ends',
  'personal-caseload',
  'search-attributes-on-change',
  'pseudonymous-search-attributes',
  'async-mutex-lock',
  'wake-timer-kept',
  'case-log-local-activity',
]);

/** Each umbrella marker, newest first, with the patches added since the one before it. */
const UMBRELLAS: ReadonlyArray<{ marker: string; patches: ReadonlySet<string> }> = [
  { marker: 'all-case-patches-2027-03', patches: IN_2027_03 },
  { marker: 'all-case-patches-2027-02', patches: IN_2027_02 },
  { marker: 'all-case-patches-2027-01', patches: IN_2027_01 },
  { marker: 'all-case-patches-2026-12', patches: IN_2026_12 },
  { marker: 'all-case-patches-2026-11', patches: IN_2026_11 },
];
