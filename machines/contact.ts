/**
 * How a person is reached: e-mail, mobile and the channel they prefer. Family members' details
 * live on the case (in the team member, so only in encrypted Temporal payloads and the sealed
 * log); staff's in the store's staff directory (sealed). Never in logs, ids or search attributes.
 *
 * @module
 */

export const ContactChannels = ['email', 'sms'] as const;
export type ContactChannel = (typeof ContactChannels)[number];

export interface ContactDetails {
  email?: string;
  /** E.164-like: an optional `+` and 8–15 digits (`+4791234567`). */
  mobile?: string;
  preferredChannel?: ContactChannel;
}

/** RFC 5321's limit; a plain shape (one `@`, dotted domain labels, no spaces or angle brackets). */
export const EMAIL_MAX_LENGTH = 254;
/**
 * The domain's labels exclude the dot, so each character has one way to match: the pattern runs
 * in time linear in the input, also on a request body far over the length limit (a dot in both
 * classes backtracked quadratically: 20,000 dots took a second of the event loop).
 */
export const EMAIL_PATTERN = /^[^\s@<>()",;:]{1,64}@[^\s@<>()",;:.]+(?:\.[^\s@<>()",;:.]+)+$/;
export const MOBILE_PATTERN = /^\+?[0-9]{8,15}$/;

export function isEmail(value: unknown): value is string {
  return typeof value === 'string' && value.length <= EMAIL_MAX_LENGTH && EMAIL_PATTERN.test(value);
}

export function isMobile(value: unknown): value is string {
  return typeof value === 'string' && MOBILE_PATTERN.test(value);
}

/**
 * The valid contact details in `value` (a form's member object), or undefined when it has none;
 * invalid fields are left out rather than stored.
 */
export function contactDetailsOf(value: unknown): ContactDetails | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const contact: ContactDetails = {};
  if (isEmail(v.email)) contact.email = v.email;
  if (isMobile(v.mobile)) contact.mobile = v.mobile;
  if (ContactChannels.includes(v.preferredChannel as ContactChannel))
    contact.preferredChannel = v.preferredChannel as ContactChannel;
  return contact.email || contact.mobile ? contact : undefined;
}
