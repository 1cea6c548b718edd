/**
 * One step of the machine per command. A Temporal update's validator and its handler apply the
 * same command to the same case: the validator to refuse it before it enters history, the
 * handler to commit it. The engine is pure, so the handler may take the validator's result when
 * nothing it depends on changed — same compiled kommune, same state object, same time, same
 * command — and must recompute otherwise. Either way the result is the one a fresh step gives,
 * so replay (which runs no validators) computes the same history.
 *
 * @module
 */
import {
  applyEvent,
  openCase,
  reopenCase,
  type OpenCaseInput,
  type ReopenCaseInput,
} from './case-engine';
import type { CompiledKommune } from './compile-kommune';
import type { CaseEvent, CaseState, StepResult } from './types';

export interface CommandMemo {
  openCase(k: CompiledKommune, input: OpenCaseInput): StepResult;
  applyEvent(k: CompiledKommune, state: CaseState, event: CaseEvent, now: string): StepResult;
  reopenCase(k: CompiledKommune, state: CaseState, input: ReopenCaseInput): StepResult;
}

/**
 * A memo of the last command, one per workflow (never shared: it holds a case's state).
 *
 * @example
 * const memo = createCommandMemo();
 * // validator: refuses the update without committing anything
 * orReject(memo.applyEvent(k, state, event, now()));
 * // handler, same activation: the validator's result, not a second step
 * const result = orReject(memo.applyEvent(k, state, event, now()));
 */
export function createCommandMemo(): CommandMemo {
  let last:
    { k: CompiledKommune; state: CaseState | null; key: string; result: StepResult } | undefined;
  const remember = (
    k: CompiledKommune,
    state: CaseState | null,
    key: string,
    run: () => StepResult,
  ): StepResult => {
    if (last && last.k === k && last.state === state && last.key === key) return last.result;
    const result = run();
    last = { k, state, key, result };
    return result;
  };
  // Validator and handler each decode the command from its payloads, so the command is compared
  // by content: JSON text, as it arrived.
  return {
    openCase: (k, input) =>
      remember(k, null, JSON.stringify(['open', input]), () => openCase(k, input)),
    applyEvent: (k, state, event, now) =>
      remember(k, state, JSON.stringify(['event', event, now]), () =>
        applyEvent(k, state, event, now),
      ),
    reopenCase: (k, state, input) =>
      remember(k, state, JSON.stringify(['reopen', input]), () => reopenCase(k, state, input)),
  };
}
