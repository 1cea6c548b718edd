/**
 * The one error type of the HTTP API. Every refusal the API gives is an `ApiError` with a
 * stable `code`; `error-codes.ts` maps each code to its HTTP status in one table, and the error
 * handler turns it into `{ error: { code, message, nb, details } }`: `message` in English for
 * logs and developers, `nb` the same in bokmål for the person using the API.
 *
 * @module
 */
import { ErrorStatus, type ErrorCode } from './error-codes';

export interface ErrorDetail {
  /** JSON pointer into the request part the detail is about, e.g. `/body/payload/sakstype`. */
  path: string;
  message: string;
  /** Stable code of this problem, where it has one (a config error's, e.g. `UNKNOWN_STEP`). */
  code?: string;
  /** The same in bokmål. */
  nb: string;
}

export interface ApiErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    /** The message in Norwegian bokmål. */
    nb: string;
    details: ErrorDetail[];
    /** For a disallowed event: the events the caller may send now. */
    allowedEvents?: string[];
  };
}

export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Bokmål; `ErrorNb[code]` where the site knows nothing more specific. */
    readonly nb: string,
    readonly details: ErrorDetail[] = [],
    readonly allowedEvents?: string[],
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = ErrorStatus[code];
  }

  toBody(): ApiErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        nb: this.nb,
        details: this.details,
        ...(this.allowedEvents ? { allowedEvents: this.allowedEvents } : {}),
      },
    };
  }
}

/** The answer for a case that does not exist, or exists in another kommune: one body for both. */
export function caseNotFound(kommune: string, caseId: string): ApiError {
  return new ApiError(
    'CASE_NOT_FOUND',
    `no case "${caseId}" in kommune "${kommune}"`,
    `Saken «${caseId}» finnes ikke i ${kommune}.`,
  );
}
