import type { ConfigError } from '../config';

/** Why the store refused; the HTTP layer maps each code to one status. */
export const ConfigStoreErrorCodes = {
  kommuneNotFound: 'KOMMUNE_NOT_FOUND',
  versionNotFound: 'CONFIG_VERSION_NOT_FOUND',
  draftNotFound: 'DRAFT_NOT_FOUND',
  draftInvalid: 'CONFIG_INVALID',
  publishConflict: 'PUBLISH_CONFLICT',
  draftConflict: 'DRAFT_CONFLICT',
} as const;
export type ConfigStoreErrorCode =
  (typeof ConfigStoreErrorCodes)[keyof typeof ConfigStoreErrorCodes];

/** A refusal a process owner can act on: `nb` in bokmål for them, the message in English for logs. */
export class ConfigStoreError extends Error {
  constructor(
    readonly code: ConfigStoreErrorCode,
    message: string,
    readonly nb: string,
    /** For CONFIG_INVALID: every problem with its JSON pointer, as `npm run config:validate` prints them. */
    readonly errors: ConfigError[] = [],
  ) {
    super(message);
    this.name = 'ConfigStoreError';
  }
}
