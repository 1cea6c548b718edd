/**
 * Consent as the case holds it: given by a parent or the young person, possibly expiring,
 * possibly withdrawn. An expired or withdrawn consent counts as absent everywhere.
 *
 * @module
 */
import type { ConsentTypeId, KommuneConfig } from '../config/types';
import { parseInstant } from './oslo-time';
import type { CaseState, Consent } from './types';

/**
 * Whether a consent holds at `now`.
 *
 * @example
 * isConsentValid({ givenBy: 'parent', givenAt: '2027-01-01T00:00:00Z' }, '2027-06-01T00:00:00Z') // true
 */
export function isConsentValid(consent: Consent | undefined, now: string): boolean {
  if (!consent || consent.withdrawnAt !== undefined) return false;
  if (consent.awaiting !== undefined && consent.awaiting.length > 0) return false;
  return consent.expiresAt === undefined || parseInstant(consent.expiresAt) > parseInstant(now);
}

/** The consent types in `required` that the case does not hold at `now`, in order. */
export function missingConsents(
  consents: CaseState['consents'],
  required: readonly ConsentTypeId[] | undefined,
  now: string,
): ConsentTypeId[] {
  return (required ?? []).filter((type) => !isConsentValid(consents[type], now));
}

/** "Samtykke til …" titles for messages, falling back to the id. */
export function consentTitles(config: KommuneConfig, types: readonly ConsentTypeId[]): string {
  return types.map((t) => config.consentTypes?.[t]?.title ?? t).join(', ');
}
