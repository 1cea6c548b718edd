/**
 * What a reader of a case sees: the state and the events the asking role may send now. The
 * workflow answers its query and every command with this.
 *
 * @module
 */
import type { CompiledKommune } from './compile-kommune';
import { allowedEvents } from './case-queries';
import { isCaseMember } from './case-visibility';
import type { AllowedEvent, CaseState } from './types';

/** What readers see: the case and what the asking role may do now. */
export interface CaseView {
  state: CaseState;
  allowedEvents: AllowedEvent[];
  /**
   * In the answer to an event or reopening: the `requestHash` it ran with. Temporal answers a
   * repeated update id with the first answer, so the API can tell a retry from a reused key.
   */
  requestHash?: string;
}

/**
 * The case as `role` sees it (no role: no events), with `requestHash` echoed when given.
 *
 * @example
 * caseView(k, state, 'veiviser').allowedEvents.map((e) => e.type) // ['kartlegging-fullfort', …]
 */
export function caseView(
  k: CompiledKommune,
  state: CaseState,
  role?: string,
  requestHash?: string,
): CaseView {
  const view: CaseView = { state, allowedEvents: role ? allowedEvents(k, state, role) : [] };
  return requestHash === undefined ? view : { ...view, requestHash };
}

/**
 * As `caseView`, but null before opening and, with `asMember`, null unless that person holds the
 * case or is on its team: a case that is not yours reads exactly like a missing one.
 *
 * @example
 * visibleCaseView(k, state, 'veiviser', 'someone-else') // null
 */
export function visibleCaseView(
  k: CompiledKommune,
  state: CaseState | null,
  role?: string,
  asMember?: string,
): CaseView | null {
  if (!state || (asMember !== undefined && !isCaseMember(state, asMember))) return null;
  return caseView(k, state, role);
}
