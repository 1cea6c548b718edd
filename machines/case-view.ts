/**
 * What a reader of a case sees: the state and the events the asking role may send now. The
 * workflow answers its query and every command with this.
 *
 * @module
 */
import type { CompiledKommune } from './compile-kommune';
import { allowedEvents, type ViewingActor } from './case-queries';
import { isCaseMember } from './case-visibility';
import type { AllowedEvent, CaseState } from './types';

/** What readers see: the case and what the asking person may do now. */
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
 * The case as `viewer` sees it (none: no events), with `requestHash` echoed when given. Events
 * for the case's holder or team are offered only to a viewer whose id says they are.
 *
 * @example
 * caseView(k, state, { role: 'coordinator', id: 'u-1' }).allowedEvents.map((e) => e.type)
 */
export function caseView(
  k: CompiledKommune,
  state: CaseState,
  viewer?: ViewingActor,
  requestHash?: string,
): CaseView {
  const view: CaseView = { state, allowedEvents: viewer ? allowedEvents(k, state, viewer) : [] };
  return requestHash === undefined ? view : { ...view, requestHash };
}

/**
 * As `caseView`, but null before opening and, with `asMember`, null unless that person holds the
 * case or is on its team: a case that is not yours reads exactly like a missing one.
 *
 * @example
 * visibleCaseView(k, state, { role: 'coordinator', id: 'u-2' }, 'u-2') // null unless u-2 is a member
 */
export function visibleCaseView(
  k: CompiledKommune,
  state: CaseState | null,
  viewer?: ViewingActor,
  asMember?: string,
): CaseView | null {
  if (!state || (asMember !== undefined && !isCaseMember(state, asMember))) return null;
  return caseView(k, state, viewer);
}
