/**
 * Turns what the Temporal client throws into `ApiError`s, so no Temporal type reaches a
 * response. Case refusals come from the workflow as `ApplicationFailure`s typed by
 * `CaseFailures`, the machine's `Rejection` in `details[0]`.
 *
 * @module
 */
import {
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  isGrpcServiceError,
} from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import type { Rejection, RejectionCode } from '../machines/types';
import { CaseFailures } from '../workflows/case-messages';
import { ApiError, caseNotFound, type ErrorDetail } from './api-error';
import { ErrorNb, type ErrorCode } from './error-codes';

/** gRPC status codes that mean "Temporal is not answering", not "your request is wrong". */
const UNAVAILABLE_GRPC_CODES = new Set([
  1 /* CANCELLED */, 4 /* DEADLINE_EXCEEDED */, 8 /* RESOURCE_EXHAUSTED */, 14 /* UNAVAILABLE */,
]);

const rejectionCodes: Record<RejectionCode, ErrorCode> = {
  EVENT_UNKNOWN: 'EVENT_UNKNOWN',
  EVENT_NOT_ALLOWED: 'EVENT_NOT_ALLOWED',
  ROLE_NOT_ALLOWED: 'ROLE_NOT_ALLOWED',
  ACTOR_NOT_ALLOWED: 'ACTOR_NOT_ALLOWED',
  PAYLOAD_INVALID: 'PAYLOAD_INVALID',
  CONSENT_MISSING: 'CONSENT_MISSING',
  NO_GATE_MATCHED: 'NO_GATE_MATCHED',
  CASE_CLOSED: 'CASE_CLOSED',
  REOPEN_NOT_ALLOWED: 'REOPEN_NOT_ALLOWED',
  REFERRAL_SOURCE_UNKNOWN: 'REFERRAL_SOURCE_UNKNOWN',
  MIGRATION_REFUSED: 'MIGRATION_REFUSED',
  PERSON_ID_INVALID: 'PERSON_ID_INVALID',
};

/**
 * A machine rejection as an API error. Payload paths become pointers into the request body
 * (`/payload/...`), so a form can show each message next to its field. The engine's bokmål
 * goes along; a worker from before it had bokmål answers with the code's default.
 */
export function rejectionToApiError(rejection: Rejection): ApiError {
  const code = rejectionCodes[rejection.code];
  const details: ErrorDetail[] = rejection.details.map((d) => ({
    path:
      rejection.code === 'REFERRAL_SOURCE_UNKNOWN'
        ? '/body/referralSource'
        : `/body/payload${d.path === '/' ? '' : d.path}`,
    message: d.message,
    nb: d.nb ?? 'Ugyldig verdi.',
  }));
  return new ApiError(
    code,
    rejection.message,
    rejection.nb ?? ErrorNb[code],
    details,
    rejection.allowedEvents,
  );
}

function isRejection(value: unknown): value is Rejection {
  const r = value as Rejection | undefined;
  return typeof r?.code === 'string' && typeof r.message === 'string' && Array.isArray(r.details);
}

/** The gRPC status code of an error or of one of its causes (the client wraps them). */
export function grpcCode(err: unknown): number | undefined {
  for (
    let e: unknown = err, depth = 0;
    e && depth < 4;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    if (isGrpcServiceError(e)) return e.code;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number') return code;
  }
  return undefined;
}

export function isTemporalUnavailable(err: unknown): boolean {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  const code = grpcCode(err);
  return code !== undefined && UNAVAILABLE_GRPC_CODES.has(code);
}

const unavailable = () =>
  new ApiError(
    'TEMPORAL_UNAVAILABLE',
    'the case engine did not answer in time; a command may still take effect: read the case, or retry with the same Idempotency-Key',
    ErrorNb.TEMPORAL_UNAVAILABLE,
  );

/**
 * Maps a Temporal client error for a case to an ApiError; rethrows what it does not know
 * (the error handler logs it and answers 500).
 */
export function fromTemporalError(err: unknown, kommune: string, caseId: string): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof WorkflowNotFoundError) return caseNotFound(kommune, caseId);
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const failure = err.cause;
    switch (failure.type) {
      case CaseFailures.rejected: {
        const rejection = failure.details?.[0];
        if (isRejection(rejection)) return rejectionToApiError(rejection);
        return new ApiError('EVENT_NOT_ALLOWED', failure.message, ErrorNb.EVENT_NOT_ALLOWED);
      }
      case CaseFailures.conflict: {
        const info = failure.details?.[0] as { revision?: number } | undefined;
        const revision = typeof info?.revision === 'number' ? info.revision : undefined;
        return new ApiError('REVISION_CONFLICT', failure.message, ErrorNb.REVISION_CONFLICT, [
          {
            path: '/body/expectedRevision',
            message: `the case is at revision ${revision ?? 'unknown'}`,
            nb:
              revision === undefined
                ? 'Saken er på en nyere revisjon.'
                : `Saken er nå på revisjon ${revision}.`,
          },
        ]);
      }
      case CaseFailures.capacityFull:
        return new ApiError('CAPACITY_FULL', failure.message, capacityNb(failure.details?.[0]));
      case CaseFailures.taskNotFound:
        return new ApiError('TASK_NOT_FOUND', failure.message, ErrorNb.TASK_NOT_FOUND, [
          {
            path: '/path/taskId',
            message: 'no open task of the case has this id',
            nb: 'Saken har ingen åpen oppgave med denne id-en.',
          },
        ]);
      case CaseFailures.notOpened:
      case CaseFailures.notVisible:
        return caseNotFound(kommune, caseId);
      case CaseFailures.alreadyOpened:
        return new ApiError(
          'IDEMPOTENCY_KEY_REUSED',
          'this Idempotency-Key already opened a case with a different request',
          'Denne Idempotency-Key har allerede opprettet en sak med en annen forespørsel.',
        );
    }
  }
  if (isTemporalUnavailable(err)) return unavailable();
  throw err;
}

/** The workflow reports a full caseload with its numbers; the message names no person. */
function capacityNb(info: unknown): string {
  const { open, max } = (info ?? {}) as { open?: unknown; max?: unknown };
  if (typeof open !== 'number' || typeof max !== 'number') return ErrorNb.CAPACITY_FULL;
  const cases = open === 1 ? 'åpen sak' : 'åpne saker';
  return `Den nye stafettholderen har allerede ${open} ${cases}; grensen er ${max}.`;
}

/** For calls that are not about one case (lists, counts). */
export function fromVisibilityError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (isTemporalUnavailable(err)) return unavailable();
  throw err;
}
