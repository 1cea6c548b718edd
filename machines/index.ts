/**
 * The pure case machine. A kommune config goes in, a compiled XState v5 machine comes out, and
 * cases move through it by pure functions that a Temporal workflow can call deterministically:
 *
 * - `compileKommune(config, version)`: the machine plus ajv-compiled payload forms;
 *   `compileErrors(config)`: why it would throw, as config errors (the last check before publish).
 * - `openCase`, `applyEvent`, `fireTimer`, `reopenCase`: commands returning a `StepResult` —
 *   the next `CaseState` with side effects (notify, escalate, feedback link, survey) for the
 *   workflow to run as activities, or a `Rejection` with a stable code and reasons.
 *   `createCommandMemo()`: the same commands, stepping the machine once for an update's
 *   validator and handler together.
 * - `allowedEvents`, `nextDueAt`, `capacityRoleFor`: queries; `roleSight`, `isCaseMember`:
 *   who may see a case.
 * - Messages: `renderForDelivery` fills a notification's delivery variables (`{{lenke}}`,
 *   `{{stafettholder}}`) when it is sent, or throws `MessageValueMissingError`.
 * - Time: `addDuration`, `parseDuration`, `isWorkingDay`, `addWorkingDays` (Norwegian public
 *   holidays, Oslo calendar dates). Timers are absolute `dueAt` instants kept in `CaseState`.
 *
 * Nothing here does I/O or reads the clock; `now` is always an argument.
 *
 * @module
 */
export * from './types';
export {
  compileKommune,
  FormCompileError,
  type CompiledKommune,
  type CompileKommuneOptions,
} from './compile-kommune';
export { compileErrors } from './compile-errors';
export {
  compileMachine,
  type CaseMachine,
  type MachineEvent,
  type MachineInput,
} from './compile-machine';
export {
  openCase,
  applyEvent,
  fireTimer,
  reopenCase,
  EngineEvents,
  ENGINE_ACTOR,
  MAX_TEAM_MEMBERS,
  type OpenCaseInput,
  type ReopenCaseInput,
} from './case-engine';
export {
  requestReopen,
  declineReopen,
  pendingReopenRequest,
  type ReopenRequestInput,
} from './reopen-request';
export { createCommandMemo, type CommandMemo } from './command-memo';
export { allowedEvents, nextDueAt, actionPointDueAt, capacityRoleFor } from './case-queries';
export { listedActivity, listedDue } from './list-times';
export { migrateCase, MIGRATION_EVENT, type MigrateCaseInput } from './migrate-case';
export { evaluateRule, ruleHolds, ruleFacts, type RuleFacts } from './rules';
export { isConsentValid } from './consents';
export { addDuration, parseDuration, type DurationParts } from './durations';
export { isWorkingDay, addWorkingDays, publicHolidays } from './working-days';
export { pseudonym, decodePseudonymKey } from './pseudonym';
export {
  closedBeforeBound,
  deletionDay,
  keptSince,
  nextSweepAt,
  retentionOver,
  retentionRules,
  type RetentionRule,
} from './retention';
export {
  roleSight,
  caseMembers,
  isCaseMember,
  CaseSights,
  type CaseSight,
} from './case-visibility';
export {
  PERSON_ID_PATTERN,
  PERSON_ID_MAX_LENGTH,
  CASE_ID_PATTERN,
  isPersonId,
  isCaseId,
} from './person-id';
export {
  renderForDelivery,
  deliveryVariablesIn,
  norwegianDateOf,
  MessageValueMissingError,
  type DeliveryValues,
  type RenderedMessage,
} from './message-render';
