/**
 * Moving running cases onto a newer published config version, one case or a filtered batch.
 * Each case moves by its own workflow update (`migrateCaseUpdate`), which is all-or-nothing:
 * a case is migrated, or refused with the reason and left exactly as it was. A coordinator
 * acting on the case at the same moment only makes us read the case again and retry.
 * Every outcome goes to the audit trail.
 *
 * @module
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import type { KommuneConfig } from '../config';
import { compileKommune, migrateCase, type CompiledKommune, type Rejection } from '../machines';
import { AuditActions, type ConfigStore } from '../store';
import { CaseFailures, migrateCaseUpdate, viewQuery } from '../workflows/case-messages';
import { caseSearchAttributes as sa, caseWorkflowId } from '../workflows/search-attributes';
import { ApiError } from './api-error';
import { ErrorNb, type ErrorCode } from './error-codes';
import type { TemporalDeps } from './case-service';
import { PROCESS_OWNER_ROLE } from './process-owner-access';
import { mapLimited, runningCases } from './running-cases';
import { isTemporalUnavailable } from './temporal-errors';
import { q } from '../workflows/visibility-query';

export interface MigrateCasesInput {
  kommune: string;
  /** The token `sub` of the process owner. */
  actor: string;
  /** Default: the latest published version. */
  toVersion?: number;
  /** Exactly these cases … */
  caseIds?: string[];
  /** … or every running case on an older version, narrowed by step and/or version. */
  filter?: { step?: string; fromVersion?: number };
  stepMapping?: Record<string, string>;
  /** Why: kept in the audit trail. */
  reason?: string;
  /** Decide each case as a migration would, and move none, record nothing. */
  dryRun?: boolean;
}

export interface CaseMigrationResult {
  caseId: string;
  outcome: 'migrated' | 'refused';
  fromVersion: number | null;
  toVersion: number;
  fromStep: string | null;
  toStep?: string;
  /** Refused: why, in English (kept in the audit trail) … */
  reason?: string;
  /** … its stable code (`MIGRATION_REFUSED`, or why the case could not be asked) … */
  code?: ErrorCode;
  /** … and the same in bokmål, for the process owner. */
  nb?: string;
}

export interface MigrationReport {
  toVersion: number;
  migrated: number;
  refused: number;
  results: CaseMigrationResult[];
  truncated: boolean;
  /** True when nothing moved: `migrated` then counts the cases that would move. */
  dryRun: boolean;
}

const CONCURRENCY = 4;
const CONFLICT_RETRIES = 3;

export async function migrateCases(
  deps: TemporalDeps & { store: ConfigStore },
  input: MigrateCasesInput,
): Promise<MigrationReport> {
  const target =
    input.toVersion === undefined
      ? await deps.store.latestPublished(input.kommune)
      : await deps.store.published(input.kommune, input.toVersion);
  if (!target) {
    throw new ApiError(
      'CONFIG_VERSION_NOT_FOUND',
      `kommune "${input.kommune}" has no config version ${input.toVersion}`,
      `${input.kommune} har ingen versjon ${input.toVersion} av slusemodellen.`,
      [
        {
          path: '/body/toVersion',
          message: 'not a published version',
          nb: 'Ikke en publisert versjon.',
        },
      ],
    );
  }
  let caseIds: string[];
  let truncated = false;
  if (input.caseIds) {
    caseIds = [...new Set(input.caseIds)];
  } else {
    const clauses = [`${sa.configVersion.name} < ${target.version}`];
    if (input.filter?.step !== undefined) clauses.push(q.eq(sa.step.name, input.filter.step));
    if (input.filter?.fromVersion !== undefined)
      clauses.push(q.eq(sa.configVersion.name, input.filter.fromVersion));
    const found = await runningCases(deps, input.kommune, clauses);
    caseIds = found.runs.map((r) => r.caseId);
    truncated = found.truncated;
  }

  // A dry run decides with the same pure step the workflow's update runs, on the case as it is now.
  const compiled = input.dryRun ? compileKommune(target.config, target.version) : undefined;
  const results = await mapLimited(caseIds, CONCURRENCY, async (caseId) => {
    const result = await migrateOne(deps, input, caseId, target.version, target.config, compiled);
    if (compiled) return result;
    await deps.store.recordAudit({
      kommune: input.kommune,
      actor: input.actor,
      action:
        result.outcome === 'migrated'
          ? AuditActions.caseMigrated
          : AuditActions.caseMigrationRefused,
      version: target.version,
      caseId,
      reason: result.outcome === 'migrated' ? (input.reason ?? null) : (result.reason ?? null),
      details: {
        fromVersion: result.fromVersion,
        fromStep: result.fromStep,
        toStep: result.toStep ?? null,
        stepMapping: input.stepMapping ?? {},
        ...(result.outcome === 'refused' && input.reason ? { comment: input.reason } : {}),
        ...(result.outcome === 'refused' ? { code: result.code, nb: result.nb } : {}),
      },
    });
    return result;
  });
  return {
    toVersion: target.version,
    migrated: results.filter((r) => r.outcome === 'migrated').length,
    refused: results.filter((r) => r.outcome === 'refused').length,
    results,
    truncated,
    dryRun: input.dryRun === true,
  };
}

async function migrateOne(
  deps: TemporalDeps,
  input: MigrateCasesInput,
  caseId: string,
  toVersion: number,
  config: KommuneConfig,
  dryRun?: CompiledKommune,
): Promise<CaseMigrationResult> {
  const handle = deps.client.workflow.getHandle(caseWorkflowId(input.kommune, caseId));
  const withDeadline = <T>(fn: () => Promise<T>) =>
    deps.client.connection.withDeadline(Date.now() + deps.timeoutMs, fn);
  const refused = (
    why: { code: ErrorCode; reason: string; nb: string },
    from?: { configVersion: number; step: string },
  ): CaseMigrationResult => ({
    caseId,
    outcome: 'refused',
    fromVersion: from?.configVersion ?? null,
    toVersion,
    fromStep: from?.step ?? null,
    ...why,
  });
  const gone = {
    code: 'CASE_NOT_FOUND',
    reason: 'no such case, or it closed and was archived',
    nb: 'Saken finnes ikke, eller er avsluttet og arkivert.',
  } as const;
  const silent = {
    code: 'TEMPORAL_UNAVAILABLE',
    reason: 'the case engine did not answer; try again',
    nb: 'Saksmotoren svarte ikke; prøv igjen.',
  } as const;
  for (let attempt = 1; ; attempt++) {
    let view;
    try {
      view = await withDeadline(() => handle.query(viewQuery));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return refused(gone);
      if (isTemporalUnavailable(err)) return refused(silent);
      throw err;
    }
    if (!view)
      return refused({
        code: 'CASE_NOT_FOUND',
        reason: 'the case has not been opened',
        nb: 'Saken er ikke åpnet.',
      });
    // The case's own record decides whose it is, exactly as for every other case operation.
    if (view.state.kommune !== input.kommune || view.state.caseId !== caseId) return refused(gone);
    const from = { configVersion: view.state.configVersion, step: view.state.step };
    const moved = (toStep: string): CaseMigrationResult => ({
      caseId,
      outcome: 'migrated',
      fromVersion: from.configVersion,
      toVersion,
      fromStep: from.step,
      toStep,
    });
    if (dryRun) {
      const would = migrateCase(dryRun, view.state, {
        stepMapping: input.stepMapping,
        now: new Date().toISOString(),
      });
      if (would.ok) return moved(would.state.step);
      return refused(
        {
          code: 'MIGRATION_REFUSED',
          reason: would.rejection.message,
          nb: would.rejection.nb ?? ErrorNb.MIGRATION_REFUSED,
        },
        from,
      );
    }
    try {
      const after = await withDeadline(() =>
        handle.executeUpdate(migrateCaseUpdate, {
          args: [
            {
              config,
              configVersion: toVersion,
              stepMapping: input.stepMapping,
              actor: { id: input.actor, role: PROCESS_OWNER_ROLE },
              expectedRevision: view.state.revision,
            },
          ],
        }),
      );
      return moved(after.state.step);
    } catch (err) {
      const failure =
        err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure
          ? err.cause
          : undefined;
      if (failure?.type === CaseFailures.conflict && attempt < CONFLICT_RETRIES) continue;
      if (failure?.type === CaseFailures.rejected) {
        const rejection = failure.details?.[0] as Rejection | undefined;
        return refused(
          {
            code: 'MIGRATION_REFUSED',
            reason: rejection?.message ?? failure.message,
            nb: rejection?.nb ?? ErrorNb.MIGRATION_REFUSED,
          },
          from,
        );
      }
      if (failure?.type === CaseFailures.conflict)
        return refused(
          { code: 'REVISION_CONFLICT', reason: failure.message, nb: ErrorNb.REVISION_CONFLICT },
          from,
        );
      if (failure)
        return refused(
          { code: 'MIGRATION_REFUSED', reason: failure.message, nb: ErrorNb.MIGRATION_REFUSED },
          from,
        );
      if (err instanceof WorkflowNotFoundError)
        return refused(
          {
            code: 'CASE_NOT_FOUND',
            reason: 'the case closed and was archived',
            nb: 'Saken er avsluttet og arkivert.',
          },
          from,
        );
      if (isTemporalUnavailable(err))
        return refused(
          {
            code: 'TEMPORAL_UNAVAILABLE',
            reason:
              'the case engine did not answer in time; the case may or may not have moved: read it and try again',
            nb: 'Saksmotoren svarte ikke i tide; det er uvisst om saken ble flyttet. Se saken og prøv igjen.',
          },
          from,
        );
      throw err;
    }
  }
}
