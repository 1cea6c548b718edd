import type { ConfigErrorCode } from './config-error-codes';

/**
 * One problem found in a kommune config, as a process owner reads it.
 *
 * `path` is a JSON pointer into the config (`/steps/avklaring/on/BOOK_TALK/0/target`; `""` is the
 * whole document). `line`/`column` (1-based) are filled in when the config was read from a file,
 * so an editor can jump to the spot.
 *
 * Two audiences: `message` and `hint` are English, for logs and developers; `nb` is the whole
 * thing in bokmål for the process owner — the problem and, where there is one, what to do
 * ("Mente du «avklaring»?"), as one text, so a screen shows one field.
 */
export interface ConfigError {
  /** Stable code a client or test branches on (e.g. `UNKNOWN_STEP`); never the message. */
  code: ConfigErrorCode;
  path: string;
  /** English, for logs and developers. */
  message: string;
  /** The problem and the hint in Norwegian bokmål, for the process owner. */
  nb: string;
  /** English: what to do about it (a did-you-mean, the allowed values …). */
  hint?: string;
  line?: number;
  column?: number;
}

/** A config passed every check, or every problem found. */
export type ValidateConfigResult<T> =
  { ok: true; config: T } | { ok: false; errors: ConfigError[] };
