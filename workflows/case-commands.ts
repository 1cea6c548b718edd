/** `registerCommand`, the one path every command on a case takes, and the four commands. */
import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { Mutex } from 'async-mutex';
import {
  compileKommune,
  declineReopen,
  migrateCase,
  requestReopen,
  type Actor,
  type CompiledKommune,
  type Rejection,
  type StepResult,
} from '../machines';
import {
  CaseFailures,
  type CommandAnswer,
  type MigrateInput,
  type OpenCaseRequest,
  type ReopenInput,
  type ReopenRequestCommand,
  type SendEventInput,
} from './case-messages';
import type { CaseRun, LogEntryFields } from './case-workflow';
import type { CasePatches } from './patches';

export type Accepted = Extract<StepResult, { ok: true }>;

export function failure(type: string, message: string, details?: unknown[]): ApplicationFailure {
  return ApplicationFailure.create({ type, message, details, nonRetryable: true });
}

function rejected(rejection: Rejection): ApplicationFailure {
  return failure(CaseFailures.rejected, rejection.message, [rejection]);
}

function orReject(result: StepResult): Accepted {
  if (!result.ok) throw rejected(result.rejection);
  return result;
}

// ── Commands ────────────────────────────────────────────────────────────────────────────────

type Lock = <T>(fn: () => Promise<T>) => Promise<T>;

/**
 * Commands that await (capacity counts) run one at a time, so each sees the state the last left.
 * Runs from before `async-mutex` keep the hand-rolled promise chain: how many microtasks a lock
 * takes decides how a command interleaves with a timer firing in the same activation, and so the
 * order of the commands in their recorded history.
 */
export function commandLock(patched: CasePatches): Lock {
  if (patched('async-mutex-lock')) {
    const mutex = new Mutex();
    return (fn) => mutex.runExclusive(fn);
  }
  let tail: Promise<unknown> = Promise.resolve();
  return (fn) => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** Who sends a command, and (events, reopenings) for whom and with which request. */
export interface CommandInput {
  actor: Actor;
  asMember?: string;
  kommune?: string;
  requestHash?: string;
}

/** What differs between commands; everything else is `registerCommand`'s one path. */
export interface CaseCommand<I extends CommandInput> {
  /** Whether the command may run on the case as it is now; checked again after any wait. */
  check(run: CaseRun, cmd: I): void;
  /** The machine's step (pure), and the config to run on from now when the command changes it. */
  step(run: CaseRun, cmd: I): { result: Accepted; kommune?: CompiledKommune };
  /** The command may hand the case to a new holder, whose open cases are counted first. */
  capacity: boolean;
  entry(cmd: I, result: Accepted): LogEntryFields;
}

/**
 * Registers a command as an update. The validator (no history when it throws): membership first,
 * then `check`, then the machine's step. The handler, under the lock: `check`, the step, the
 * capacity count (which awaits), `check` again (the case may have moved on meanwhile), commit.
 */
export function registerCommand<I extends CommandInput>(
  run: CaseRun,
  exclusive: Lock,
  update: UpdateDefinition<CommandAnswer, [I]>,
  command: CaseCommand<I>,
): void {
  setHandler(
    update,
    (cmd) =>
      exclusive(async () => {
        try {
          command.check(run, cmd);
          const before = run.state;
          const { result, kommune } = command.step(run, cmd);
          const checked = command.capacity ? await run.withCapacity(before, result) : result;
          command.check(run, cmd);
          if (kommune) run.k = kommune;
          run.commit(checked, command.entry(cmd, result));
          return run.answer(cmd);
        } catch (err) {
          // Only an opening runs on an unopened case: when it fails, the workflow ends.
          if (!run.state) run.openFailed = true;
          throw err;
        }
      }),
    {
      validator: (cmd) => {
        run.checkMember(cmd);
        command.check(run, cmd);
        command.step(run, cmd);
      },
    },
  );
}

export const openCommand: CaseCommand<OpenCaseRequest> = {
  check(run) {
    if (run.state) throw failure(CaseFailures.alreadyOpened, 'the case is already open');
  },
  step(run, cmd) {
    const { caseId } = run.input;
    return {
      result: orReject(
        run.memo.openCase(run.k, {
          caseId,
          referralSource: cmd.referralSource,
          payload: cmd.payload,
          actor: cmd.actor,
          now: run.now(),
          // Absent on every opening from before the families' door: those replay unchanged.
          ...(cmd.selfReferral === true ? { selfReferral: true } : {}),
        }),
      ),
    };
  },
  capacity: true,
  entry: (cmd, result) => ({
    kind: 'opened',
    actor: cmd.actor,
    what: 'opened',
    from: null,
    to: result.state.step,
    payload: cmd.payload,
  }),
};

export const sendEventCommand: CaseCommand<SendEventInput> = {
  check: (run, cmd) => run.checkRevision(cmd.expectedRevision),
  step: (run, cmd) => ({
    result: orReject(
      run.memo.applyEvent(
        run.k,
        run.requireState(),
        { type: cmd.type, payload: cmd.payload, actor: cmd.actor },
        run.now(),
      ),
    ),
  }),
  capacity: true,
  entry: (cmd, result) => ({
    kind: 'event',
    actor: cmd.actor,
    what: cmd.type,
    from: result.transition.from,
    to: result.transition.to,
    payload: cmd.payload,
  }),
};

export const reopenCommand: CaseCommand<ReopenInput> = {
  check: (run, cmd) => run.checkRevision(cmd.expectedRevision),
  step: (run, cmd) => ({
    result: orReject(
      run.memo.reopenCase(run.k, run.requireState(), {
        actor: cmd.actor,
        payload: cmd.payload,
        now: run.now(),
      }),
    ),
  }),
  capacity: true,
  entry: (cmd, result) => ({
    kind: 'reopened',
    actor: cmd.actor,
    what: 'reopened',
    from: result.transition.from,
    to: result.transition.to,
    payload: cmd.payload,
  }),
};

/**
 * The family's request to reopen and the holder's no: neither changes the step or the holder, so
 * no capacity count. The log keeps the asker's pseudonymous id, as it does for every command.
 */
export const requestReopenCommand: CaseCommand<ReopenRequestCommand> = {
  check: (run, cmd) => run.checkRevision(cmd.expectedRevision),
  step: (run, cmd) => ({
    result: orReject(
      requestReopen(run.k, run.requireState(), { actor: cmd.actor, now: run.now() }),
    ),
  }),
  capacity: false,
  entry: (cmd, result) => ({
    kind: 'reopenRequested',
    actor: cmd.actor,
    what: 'reopenRequested',
    from: result.transition.from,
    to: result.transition.to,
  }),
};

export const declineReopenCommand: CaseCommand<ReopenRequestCommand> = {
  check: (run, cmd) => run.checkRevision(cmd.expectedRevision),
  step: (run, cmd) => ({
    result: orReject(
      declineReopen(run.k, run.requireState(), { actor: cmd.actor, now: run.now() }),
    ),
  }),
  capacity: false,
  entry: (cmd, result) => ({
    kind: 'reopenDeclined',
    actor: cmd.actor,
    what: 'reopenDeclined',
    from: result.transition.from,
    to: result.transition.to,
  }),
};

export const migrateCommand: CaseCommand<MigrateInput> = {
  check: (run, cmd) => run.checkRevision(cmd.expectedRevision),
  step(run, cmd) {
    const kommune = compileKommune(cmd.config, cmd.configVersion, run.compileOptions);
    return {
      result: orReject(
        migrateCase(kommune, run.requireState(), { stepMapping: cmd.stepMapping, now: run.now() }),
      ),
      kommune,
    };
  },
  // The holder stays; only the config changes.
  capacity: false,
  entry: (cmd, result) => ({
    kind: 'migrated',
    actor: cmd.actor,
    what: `version ${cmd.configVersion}`,
    from: result.transition.from,
    to: result.transition.to,
    payload: { stepMapping: cmd.stepMapping ?? {} },
  }),
};
