/**
 * The impact preview: what a config change would do to the cases already running. A publish
 * itself changes no running case (each keeps the version it started on); this shows what
 * migrating them would mean: which cases sit in steps that are removed or changed, whether
 * each could move at all (and with which step mapping), and how each armed timer would move.
 * The timers come from the same pure `migrateCase` the workflow runs, so the preview is what
 * a migration does.
 *
 * @module
 */
import { withSharedEvents } from '../config/shared-events';
import type { KommuneConfig } from '../config';
import { unescapePointerSegment } from '../config/json-pointer';
import { compileKommune, migrateCase, type ArmedTimer, type CaseState } from '../machines';
import { diffConfigs, type ConfigChange, type ConfigStore } from '../store';
import { viewQuery } from '../workflows/case-messages';
import { caseWorkflowId } from '../workflows/search-attributes';
import type { TemporalDeps } from './case-service';
import { mapLimited, runningCases } from './running-cases';
import { fromTemporalError } from './temporal-errors';
import type { CaseRun } from './visibility';

export const StepChanges = ['removed', 'changed', 'unchanged'] as const;
export type StepChange = (typeof StepChanges)[number];

export interface TimerImpact {
  timerId: string;
  title?: string;
  kind: string;
  change: 'added' | 'removed' | 'moved' | 'unchanged';
  dueBefore: string | null;
  dueAfter: string | null;
}

export interface CaseImpact {
  caseId: string;
  step: string;
  status: string;
  configVersion: number;
  stepChange: StepChange;
  /** The changes (from the case's own version to the target) that concern its step. */
  changes: string[];
  migration:
    | { possible: true; toStep: string }
    | { possible: false; reason: string; code: 'MIGRATION_REFUSED'; nb: string };
  timers: TimerImpact[];
}

export interface ImpactPreview {
  kommune: string;
  targetVersion: number;
  runningCases: number;
  /** Running cases on an older version than the target that a migration would touch. */
  affected: CaseImpact[];
  unaffected: number;
  truncated: boolean;
}

export interface ImpactInput {
  kommune: string;
  /** The config to migrate to (the draft, or a published version). */
  target: KommuneConfig;
  /** Its version number; for a draft, the number it would get when published. */
  targetVersion: number;
  stepMapping?: Record<string, string>;
  now?: string;
}

const QUERY_CONCURRENCY = 8;

export async function previewImpact(
  deps: TemporalDeps & { store: ConfigStore },
  input: ImpactInput,
): Promise<ImpactPreview> {
  const { runs, truncated } = await runningCases(deps, input.kommune);
  const older = runs.filter(
    (r) => r.configVersion !== null && r.configVersion < input.targetVersion && r.step !== null,
  );
  const target = compileKommune(input.target, input.targetVersion);
  const now = input.now ?? new Date().toISOString();

  // One diff per version the running cases are on: cases on version 3 and on version 5 differ
  // from the target in different ways.
  const perVersion = new Map<number, Promise<ConfigChange[] | null>>();
  const changesFor = (version: number) => {
    let found = perVersion.get(version);
    if (!found) {
      found = deps.store
        .published(input.kommune, version)
        .then((p) => (p ? diffConfigs(p.config, input.target) : null));
      perVersion.set(version, found);
    }
    return found;
  };

  const impacts = await mapLimited(
    older,
    QUERY_CONCURRENCY,
    async (run): Promise<CaseImpact | null> => {
      const changes = (await changesFor(run.configVersion!)) ?? [];
      const step = run.step!;
      const stepChange: StepChange = !Object.hasOwn(input.target.steps, step)
        ? 'removed'
        : changes.some((c) => concernsStep(c, step, input.target))
          ? 'changed'
          : 'unchanged';
      const state = await caseState(deps, input.kommune, run);
      if (!state) return null;
      const result = migrateCase(target, state, { stepMapping: input.stepMapping, now });
      const timers = result.ok
        ? compareTimers(state.timers, result.state.timers)
        : state.timers.map((t) => timerImpact(t, undefined));
      const impact: CaseImpact = {
        caseId: run.caseId,
        step,
        status: state.status,
        configVersion: state.configVersion,
        stepChange,
        changes: changes.filter((c) => concernsStep(c, step, input.target)).map((c) => c.message),
        migration: result.ok
          ? { possible: true, toStep: result.state.step }
          : {
              possible: false,
              reason: result.rejection.message,
              code: 'MIGRATION_REFUSED',
              nb: result.rejection.nb ?? result.rejection.message,
            },
        timers,
      };
      const touched =
        stepChange !== 'unchanged' ||
        !result.ok ||
        result.state.step !== step ||
        timers.some((t) => t.change !== 'unchanged');
      return touched ? impact : null;
    },
  );
  const affected = impacts.filter((i): i is CaseImpact => i !== null);
  return {
    kommune: input.kommune,
    targetVersion: input.targetVersion,
    runningCases: runs.length,
    affected,
    unaffected: runs.length - affected.length,
    truncated,
  };
}

/** A change concerns a step when it is about the step itself or an event the step handles. */
function concernsStep(change: ConfigChange, step: string, target: KommuneConfig): boolean {
  if (change.step === step) return true;
  if (change.area !== 'event') return false;
  const event = unescapePointerSegment(change.path.split('/')[2] ?? '');
  return Object.hasOwn(withSharedEvents(target).steps[step]?.on ?? {}, event);
}

async function caseState(
  deps: TemporalDeps,
  kommune: string,
  run: CaseRun,
): Promise<CaseState | null> {
  try {
    const view = await deps.client.connection.withDeadline(Date.now() + deps.timeoutMs, () =>
      deps.client.workflow.getHandle(caseWorkflowId(kommune, run.caseId)).query(viewQuery),
    );
    return view?.state ?? null;
  } catch (err) {
    throw fromTemporalError(err, kommune, run.caseId);
  }
}

function compareTimers(before: ArmedTimer[], after: ArmedTimer[]): TimerImpact[] {
  const out = before.map((t) =>
    timerImpact(
      t,
      after.find((a) => a.timerId === t.timerId),
    ),
  );
  for (const a of after)
    if (!before.some((b) => b.timerId === a.timerId)) out.push(timerImpact(undefined, a));
  return out;
}

function timerImpact(before: ArmedTimer | undefined, after: ArmedTimer | undefined): TimerImpact {
  const t = (after ?? before)!;
  const change = !before
    ? 'added'
    : !after
      ? 'removed'
      : before.dueAt === after.dueAt
        ? 'unchanged'
        : 'moved';
  return {
    timerId: t.timerId,
    ...(t.title !== undefined ? { title: t.title } : {}),
    kind: t.kind,
    change,
    dueBefore: before?.dueAt ?? null,
    dueAfter: after?.dueAt ?? null,
  };
}
