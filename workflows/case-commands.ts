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

/** How commands keep out of each other's way. */
export interface CommandLock {
  /** Runs `fn` once no other command holds the lock. */
  exclusive: Lock;
  /**
   * Whether a command may run at once, outside the lock: in newer runs, when no command holds it.
   * A command that awaits nothing cannot interleave with another, and the lock's promises were a
   * fifth of a command's on the workflow thread, each with a stack captured by the SDK (issue #12).
   */
  free(): boolean;
}

/**
 * Commands that await (capacity counts) run one at a time, so each sees the state the last left.
 * Runs from before `async-mutex` keep the hand-rolled promise chain, and runs from before
 * `sync-commands` take the lock for every command: how many microtasks a command takes decides
 * how it interleaves with a timer firing in the same activation, and so the order of the
 * commands in their recorded history.
 */
export function commandLock(patched: CasePatches): CommandLock {
  if (patched('async-mutex-lock')) {
    const mutex = new Mutex();
    const sync = patched('sync-commands');
    return {
      exclusive: (fn) => mutex.runExclusive(fn),
      free: () => sync && !mutex.isLocked(),
    };
  }
  let tail: Promise<unknown> = Promise.resolve();
  return {
    exclusive: (fn) => {
      const run = tail.then(fn, fn);
      tail = run.catch(() => undefined);
      return run;
    },
    free: () => false,
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
 * With the lock free, a command that needs no count runs the same steps at once, without it.
 */
export function registerCommand<I extends CommandInput>(
  run: CaseRun,
  lock: CommandLock,
  update: UpdateDefinition<CommandAnswer, [I]>,
  command: CaseCommand<I>,
): void {
  const stepped = (cmd: I) => {
    command.check(run, cmd);
    const before = run.state;
    return { before, ...command.step(run, cmd) };
  };
  const commit = (cmd: I, { result, kommune }: ReturnType<typeof stepped>, checked: Accepted) => {
    command.check(run, cmd);
    if (kommune) run.k = kommune;
    run.commit(checked, command.entry(cmd, result));
    return run.answer(cmd);
  };
  // Only an opening runs on an unopened case: when it fails, the workflow ends.
  const failed = (err: unknown) => {
    if (!run.state) run.openFailed = true;
    return err;
  };
  const queued = (cmd: I) =>
    lock.exclusive(async () => {
      try {
        const s = stepped(cmd);
        const checked = command.capacity ? await run.withCapacity(s.before, s.result) : s.result;
        return commit(cmd, s, checked);
      } catch (err) {
        throw failed(err);
      }
    });
  setHandler(
    update,
    (cmd) => {
      if (!lock.free()) return queued(cmd);
      try {
        const s = stepped(cmd);
        if (command.capacity && run.capacityToCount(s.before, s.result)) return queued(cmd);
        return commit(cmd, s, s.result);
      } catch (err) {
        throw failed(err);
      }
    },
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
