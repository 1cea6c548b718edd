/**
 * One problem found in a kommune config, as a process owner reads it.
 *
 * `path` is a JSON pointer into the config (`/steps/avklaring/on/BOOK_TALK/0/target`; `""` is the
 * whole document). `line`/`column` (1-based) are filled in when the config was read from a file,
 * so an editor can jump to the spot.
 */
export interface ConfigError {
  /** Stable code a client or test branches on (e.g. `UNKNOWN_STEP`); never the message. */
  code?: string;
  path: string;
  /** English, for logs and developers. */
  message: string;
  /** The same in Norwegian bokmål, for the process owner. */
  nb?: string;
  hint?: string;
  line?: number;
  column?: number;
}

/** A config passed every check, or every problem found. */
export type ValidateConfigResult<T> =
  { ok: true; config: T } | { ok: false; errors: ConfigError[] };
