/**
 * Small text helpers for the messages config checks write (English and bokmål alike).
 *
 * @module
 */

/**
 * The text with its first letter upper-case, the rest as given.
 *
 * @example
 * capitalize('hendelsen «X»') // 'Hendelsen «X»'
 */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A clause as a sentence: capitalized, ending in one full stop.
 *
 * @example
 * asSentence('kan ikke ha færre enn 1 element') // 'Kan ikke ha færre enn 1 element.'
 */
export function asSentence(text: string): string {
  const trimmed = text.trim().replace(/\.+$/, '');
  return `${capitalize(trimmed)}.`;
}
