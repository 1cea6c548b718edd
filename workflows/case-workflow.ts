/**
 * One family's case, from the first worry to closing and the short way back.
 *
 * The workflow runs the kommune's compiled machine (pure, from `machines/`) on the config
 * version the case started under, owns every timer (absolute due times kept in case state,
 * re-armed after continue-as-new), and runs the machine's side effects as activities.
 * Coordinators' commands are updates with validators, so a rejected command never enters history.
 *
 * Shape: message definitions; `CaseRun` (the state and what changes it); `registerCommand`, the
 * one path every command takes (validator: membership, revision, machine; handler under the lock:
 * revision, machine, capacity, revision again, commit); `CaseLogWriter`; the wake loop; rest
 * (archive or continue-as-new). What needs no Temporal API lives in `machines/`.
 */
import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineUpdate,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
  log,
  patched,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { Mutex } from 'async-mutex';
import type { KommuneConfig } from '../config/types';
import type { CaseRecordInput } from '../activities/activity-types';
import type { createActivities } from '../activities';
import {
  capacityRoleFor,
  caseMembers,
  compileKommune,
  createCommandMemo,
  decodePseudonymKey,
  ENGINE_ACTOR as ENGINE,
  EngineEvents,
  fireTimer,
  isCaseMember,
  migrateCase,
  nextDueAt,
  pseudonym,
  type Actor,
  type CaseState,
  type CompiledKommune,
  type CompileKommuneOptions,
  type OpenCaseInput,
  type Rejection,
  type SideEffect,
  type StepResult,
} from '../machines';
import { logBatch } from '../machines/case-log-batch';
import { notificationFor } from '../machines/case-notification';
import { caseView, visibleCaseView, type CaseView } from '../machines/case-view';
import { dueTimer, isFinished, nextCapacityCheck, nextWakeAt } from '../machines/case-wake';
import { caseSearchAttributes as sa } from './search-attributes';

export type { CaseView } from '../machines/case-view';

type Activities = ReturnType<typeof createActivities>;
type Accepted = Extract<StepResult, { ok: true }>;

// Notifications retry for about a day, then give up: a failing channel must never block a case.
// Handing a message to a channel takes well under ten seconds; a lost worker is noticed then.
const { deliverNotification } = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 hour',
    maximumAttempts: 30,
  },
});
const { archiveCaseRecord, countOpenCasesForHolder } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});
// Writing the log retries for as long as the store is down: the case goes on meanwhile, keeping
// the unwritten entries; continue-as-new carries them while they fit one write, archiving waits.
const { appendCaseLog } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** One entry of the case's log (the stafettlogg). */
export interface HistoryEntry {
  /** Its place in the case's log: 1, 2, 3 … across continue-as-new; the store's key. */
  seq: number;
  at: string;
  revision: number;
  kind:
    | 'opened'
    | 'event'
    | 'timer'
    | 'reopened'
    | 'migrated'
    | 'handover'
    | 'notified'
    | 'notificationFailed';
  actor: Actor;
  /** Event type, timer key or notification kind. */
  what: string;
  from?: string | null;
  to?: string;
  payload?: unknown;
}

/** The open command as the API sends it; the workflow adds the case id and the time for the engine's `OpenCaseInput`. */
export type OpenCaseRequest = Omit<OpenCaseInput, 'caseId' | 'now'>;

export interface CaseWorkflowInput {
  kommune: string;
  caseId: string;
  /** The config snapshot this case runs on; a later publish never changes it. */
  config: KommuneConfig;
  configVersion: number;
  /** Base of the anonymous feedback links sent to families. */
  feedbackBaseUrl?: string;
  /** How often a handover waiting for capacity looks again, in ms (default 6 hours). */
  capacityRecheckMs?: number;
  /** Continue-as-new after this many history events (default 5000); tests lower it. */
  historyLimit?: number;
  /**
   * The key (base64) for pseudonyms of the holder and members in search attributes; encrypted
   * at rest like every payload. Cases started before it existed publish no holder or members.
   */
  pseudonymKey?: string;
  /**
   * Present after continue-as-new: the state, the log entries not yet written to the store (at
   * most one write's worth) and the next log seq. Runs from before the log moved to the store
   * carry the whole log as `history` instead.
   */
  carried?: { state: CaseState; tail?: HistoryEntry[]; nextSeq?: number; history?: HistoryEntry[] };
}

export interface SendEventInput {
  type: string;
  payload?: unknown;
  actor: Actor;
  /** The revision the sender last saw; a different current revision is a conflict. */
  expectedRevision: number;
  /** For a sender who sees only their own cases: refused as not found unless this person is a member. */
  asMember?: string;
  /** The kommune the sender addressed: refused as not found unless the case was recorded under it. */
  kommune?: string;
  /** Set with an Idempotency-Key: echoed in the answer (see `CaseView.requestHash`). */
  requestHash?: string;
}

export interface MigrateInput {
  /** The newer config version to run on from now. */
  config: KommuneConfig;
  configVersion: number;
  /** Old step id → new step id, for steps the new version renamed or removed. */
  stepMapping?: Record<string, string>;
  actor: Actor;
  expectedRevision: number;
}

export interface ReopenInput {
  actor: Actor;
  payload?: unknown;
  expectedRevision: number;
  /** As in `SendEventInput`. */
  asMember?: string;
  kommune?: string;
  /** Set with an Idempotency-Key: echoed in the answer (see `CaseView.requestHash`). */
  requestHash?: string;
}

/** Failure types a client maps to answers; details[0] carries the machine's Rejection. */
export const CaseFailures = {
  rejected: 'CASE_COMMAND_REJECTED',
  conflict: 'REVISION_CONFLICT',
  notOpened: 'CASE_NOT_OPENED',
  alreadyOpened: 'CASE_ALREADY_OPENED',
  /** The sender sees only their own cases and this is not one: answered like a missing case. */
  notVisible: 'CASE_NOT_VISIBLE',
  capacityFull: 'CAPACITY_FULL',
} as const;

// ── Messages ────────────────────────────────────────────────────────────────────────────────
// Updates, not signals: the caller must know whether the command was accepted, and a validator
// keeps a refused one out of history.

export const openCaseUpdate = defineUpdate<CaseView, [OpenCaseRequest]>('openCase');
export const sendEventUpdate = defineUpdate<CaseView, [SendEventInput]>('sendEvent');
export const reopenCaseUpdate = defineUpdate<CaseView, [ReopenInput]>('reopenCase');
/** Moves the case onto a newer config version; refused (and nothing changes) when it can't. */
export const migrateCaseUpdate = defineUpdate<CaseView, [MigrateInput]>('migrateCase');
/**
 * The case as the given role sees it (with the events that role may send now); null before
 * opening. With `asMember` (a person id), also null unless that person holds the case or is on
 * its team: membership is decided here, so a case that is not yours never leaves the worker
 * and answers in the same one round trip as any other read.
 */
export const viewQuery = defineQuery<CaseView | null, [role?: string, asMember?: string]>('view');
/**
 * The log entries not yet in the store (all of them for a run from before the log moved
 * there); `CaseLog.complete` (store/case-log.ts) adds the stored ones.
 */
export const historyQuery = defineQuery<HistoryEntry[]>('history');

/** A workflow whose opening command never succeeds ends after this long, leaving nothing behind. */
const OPEN_DEADLINE = '1 hour';
/** How often a handover waiting for capacity looks again. */
const CAPACITY_RECHECK_MS = 6 * 60 * 60 * 1000;
/** Continue-as-new well before Temporal's history limits; a case lives for months. */
const MAX_HISTORY_EVENTS = 5000;
/** …and well before its 50 MB, whatever users type. */
const MAX_HISTORY_BYTES = 20 * 1024 * 1024;

function failure(type: string, message: string, details?: unknown[]): ApplicationFailure {
  return ApplicationFailure.create({ type, message, details, nonRetryable: true });
}

function rejected(rejection: Rejection): ApplicationFailure {
  return failure(CaseFailures.rejected, rejection.message, [rejection]);
}

function orReject(result: StepResult): Accepted {
  if (!result.ok) throw rejected(result.rejection);
  return result;
}

export async function caseWorkflow(input: CaseWorkflowInput): Promise<CaseState | null> {
  // Forms bounded by default and patterns on RE2 change which payloads are accepted: a case that
  // started before keeps the old forms, so its recorded history replays as it ran.
  const compileOptions = { legacy: !patched('bounded-forms-re2') };
  const run = new CaseRun(input, compileOptions, patched('case-log-in-store'));
  const exclusive = commandLock();

  setHandler(viewQuery, (role?: string, asMember?: string) =>
    visibleCaseView(run.k, run.state, role, asMember),
  );
  setHandler(historyQuery, () => run.log.tail);
  registerCommand(run, exclusive, openCaseUpdate, openCommand);
  registerCommand(run, exclusive, sendEventUpdate, sendEventCommand);
  registerCommand(run, exclusive, reopenCaseUpdate, reopenCommand);
  registerCommand(run, exclusive, migrateCaseUpdate, migrateCommand);

  if (run.log.inStore) void run.log.writeLoop();

  if (!run.state && patched('unopened-case-ends')) {
    // Started by update-with-start whose opening was refused: nothing to keep, so end.
    await condition(() => run.state !== null || run.openFailed, OPEN_DEADLINE);
    if (!run.state) {
      await condition(allHandlersFinished);
      return null;
    }
  }

  if (run.state) run.publishSearchAttributes(run.state);
  else
    upsertSearchAttributes([
      { key: sa.kommune, value: input.kommune },
      { key: sa.configVersion, value: input.configVersion },
    ]);

  await wakeLoop(run);
  return rest(run);
}

// ── The case's state and what changes it ───────────────────────────────────────────────────

type LogEntryFields = Omit<HistoryEntry, 'seq' | 'at' | 'revision'>;

/** One run of a case: its config, state and log, and the only code that changes them. */
class CaseRun {
  /** The config this case runs on (k.config): the one it started under, until explicitly migrated. */
  k: CompiledKommune;
  state: CaseState | null;
  /** Bumped whenever state changes so the wake loop re-reads the timers. */
  changes = 0;
  /** The opening command failed on an unopened case: the workflow ends. */
  openFailed = false;
  readonly pendingEffects = new Set<Promise<void>>();
  readonly log: CaseLogWriter;
  /**
   * The machine stepped once per command: an update's handler takes its validator's result when
   * nothing it depends on changed (machines/command-memo.ts). Replay runs no validators and
   * steps afresh, to the same result.
   */
  readonly memo = createCommandMemo();

  constructor(
    readonly input: CaseWorkflowInput,
    readonly compileOptions: CompileKommuneOptions,
    logInStore: boolean,
  ) {
    // Compiled once per worker for each config content (machines/ is preloaded, so its memo is
    // shared by every case); the case keeps that shared copy of its config rather than its own.
    this.k = compileKommune(input.config, input.configVersion, compileOptions);
    input.config = this.k.config;
    this.state = input.carried?.state ?? null;
    this.log = new CaseLogWriter(input, logInStore, () =>
      isFinished(this.k.config, this.state!, Date.now()),
    );
  }

  now(): string {
    return new Date().toISOString();
  }

  requireState(): CaseState {
    if (!this.state) throw failure(CaseFailures.notOpened, 'the case has not been opened');
    return this.state;
  }

  /**
   * First in every validator of a command, so "not yours" is told before anything about the case:
   * the case's own record decides, never the workflow id.
   */
  checkMember({ asMember, kommune }: { asMember?: string; kommune?: string }): void {
    const s = this.state;
    const notYours =
      s &&
      ((asMember !== undefined && !isCaseMember(s, asMember)) ||
        (kommune !== undefined && s.kommune !== kommune));
    if (notYours) throw failure(CaseFailures.notVisible, 'no such case');
  }

  checkRevision(expected: number): void {
    const current = this.requireState().revision;
    if (expected !== current) {
      throw failure(
        CaseFailures.conflict,
        `the case is at revision ${current}, not ${expected}: reload and try again`,
        [{ expectedRevision: expected, revision: current }],
      );
    }
  }

  /** The answer to a command: the case as the sender's role sees it, echoing its request hash. */
  answer(cmd: { actor: Actor; requestHash?: string }): CaseView {
    return caseView(this.k, this.state!, cmd.actor.role, cmd.requestHash);
  }

  /**
   * Enforces the capacity rule on a new holder. Full and `whenFull: "reject"`: the command is
   * refused. Full and `"wait"`: the command goes through, the previous holder keeps the case and
   * the handover waits until the new holder has room (re-checked by the wake loop).
   */
  async withCapacity(before: CaseState | null, result: Accepted): Promise<Accepted> {
    const rule = capacityRoleFor(this.k, result.state);
    const holder = result.state.holder;
    if (!rule || !holder || holder.id === before?.holder?.id) return result;
    const open = await countOpenCasesForHolder({
      kommune: this.input.kommune,
      holderId: holder.id,
      caseId: this.input.caseId,
    });
    if (open < rule.maxOpenCases) return result;
    if (rule.whenFull === 'wait') {
      const waiting = { holderId: holder.id, role: holder.role, since: this.now() };
      return {
        ...result,
        state: { ...result.state, holder: before?.holder ?? null, capacityWait: waiting },
      };
    }
    throw failure(
      CaseFailures.capacityFull,
      `${holder.id} already holds ${open} open cases; the limit for role ${rule.role} is ${rule.maxOpenCases}`,
      [{ role: rule.role, holderId: holder.id, open, max: rule.maxOpenCases }],
    );
  }

  /** Completes a waiting handover once the named person has room. */
  async retryWaitingHandover(): Promise<void> {
    const s = this.state;
    const waiting = s?.capacityWait;
    if (!s || !waiting) return;
    const rule = this.k.config.capacity?.find((r) => r.role === waiting.role);
    const open = await countOpenCasesForHolder({
      kommune: this.input.kommune,
      holderId: waiting.holderId,
      caseId: this.input.caseId,
    });
    if (this.state !== s || (rule && open >= rule.maxOpenCases)) return;
    const next: CaseState = {
      ...s,
      holder: { id: waiting.holderId, role: waiting.role, since: this.now() },
      revision: s.revision + 1,
    };
    delete next.capacityWait;
    this.commit(
      {
        ok: true,
        state: next,
        effects: [],
        transition: { from: s.step, to: s.step, event: EngineEvents.capacity },
      },
      {
        kind: 'handover',
        actor: ENGINE,
        what: 'capacity freed',
        from: s.step,
        to: s.step,
        payload: { holderId: waiting.holderId, waitedSince: waiting.since },
      },
    );
  }

  /** Fires every due timer in due order. */
  fireDueTimers(): void {
    for (;;) {
      const s = this.state!;
      const due = dueTimer(s, Date.now());
      if (!due) return;
      const result = fireTimer(this.k, s, due.key, this.now());
      if (!result.ok) {
        // A timer the machine will not fire is a bug in config or machine; drop it loudly
        // rather than spin on it.
        log.error('timer could not fire', {
          caseId: this.input.caseId,
          timer: due.key,
          code: result.rejection.code,
        });
        this.state = { ...s, timers: s.timers.filter((t) => t.key !== due.key) };
        this.changes++;
        continue;
      }
      this.commit(result, {
        kind: 'timer',
        actor: ENGINE,
        what: due.key,
        from: result.transition.from,
        to: result.transition.to,
      });
    }
  }

  /** The accepted step becomes the case: logged (with any handover), published, its effects run. */
  commit(result: Accepted, entry: LogEntryFields): void {
    const before = this.state?.holder ?? null;
    const state = (this.state = result.state);
    this.log.record({ at: this.now(), revision: state.revision, ...entry });
    const after = state.holder;
    if (entry.kind !== 'handover' && after && after.id !== before?.id) {
      // The stafettholder changes hands explicitly and visibly: who from, who to, by whom.
      this.log.record({
        at: this.now(),
        revision: state.revision,
        kind: 'handover',
        actor: entry.actor,
        what: `${before?.id ?? '—'} → ${after.id}`,
        payload: { from: before, to: after },
      });
    }
    this.changes++;
    this.publishSearchAttributes(state);
    this.runSideEffects(state, result.effects);
  }

  private runSideEffects(s: CaseState, effects: SideEffect[]): void {
    effects.forEach((effect, index) => {
      const notification = notificationFor(s, effect, {
        config: this.k.config,
        kommune: this.input.kommune,
        caseId: this.input.caseId,
        key: `${workflowInfo().workflowId}/${s.revision}/${index}`,
        now: this.now(),
        feedbackBaseUrl: this.input.feedbackBaseUrl,
        linkId: uuid4,
      });
      const { kind, to } = notification;
      const p = deliverNotification(notification).then(
        () => {
          this.log.record({
            at: this.now(),
            revision: s.revision,
            kind: 'notified',
            actor: ENGINE,
            what: kind,
            to,
          });
        },
        (err: unknown) => {
          log.warn('notification failed for good', { caseId: this.input.caseId, kind });
          this.log.record({
            at: this.now(),
            revision: s.revision,
            kind: 'notificationFailed',
            actor: ENGINE,
            what: kind,
            to,
            payload: { message: String((err as Error)?.message ?? err) },
          });
        },
      );
      this.pendingEffects.add(p);
      void p.finally(() => this.pendingEffects.delete(p));
    });
  }

  /** The loop ends to archive a finished case, or to continue-as-new a long one. */
  shouldRest(): boolean {
    if (!this.state) return false;
    if (isFinished(this.k.config, this.state, Date.now())) return true;
    const info = workflowInfo();
    return (
      info.continueAsNewSuggested ||
      info.historyLength > (this.input.historyLimit ?? MAX_HISTORY_EVENTS) ||
      (this.log.inStore && info.historySize > MAX_HISTORY_BYTES)
    );
  }

  /**
   * Values last upserted in this run (by attribute name, as JSON) when only changes are upserted;
   * null when every change upserts them all (runs from before); undefined until the first publish.
   */
  private published?: Map<string, string> | null;

  publishSearchAttributes(s: CaseState): void {
    const next = nextDueAt(s);
    const attributes = [
      { key: sa.kommune, value: s.kommune },
      { key: sa.level, value: s.level },
      { key: sa.step, value: s.step },
      { key: sa.status, value: s.status },
      ...this.peopleSearchAttributes(s),
      { key: sa.nextDueAt, value: next ? new Date(next) : null },
      { key: sa.overdue, value: s.overdue },
      { key: sa.referralSource, value: s.referralSource },
      { key: sa.configVersion, value: s.configVersion },
      { key: sa.path, value: [...new Set(s.path)] },
      { key: sa.lastActivityAt, value: new Date(s.lastActivityAt) },
    ];
    // Each upsert is an event in the case's history: newer runs write only what changed.
    if (this.published === undefined)
      this.published = patched('search-attributes-on-change') ? new Map() : null;
    const published = this.published;
    const changed = published
      ? attributes.filter((a) => published.get(a.key.name) !== JSON.stringify(a.value))
      : attributes;
    if (changed.length === 0) return;
    upsertSearchAttributes(changed);
    for (const a of changed) published?.set(a.key.name, JSON.stringify(a.value));
  }

  /**
   * The holder, and everyone the case belongs to, as pseudonyms (keyed hashes), so a role that
   * sees its own cases lists them with one visibility query. Never a raw id: ids are typed by
   * users. Recorded cases published the raw holder id; their replay must do the same.
   */
  private peopleSearchAttributes(s: CaseState) {
    if (!patched('pseudonymous-search-attributes'))
      return [{ key: sa.holder, value: s.holder?.id ?? null }];
    const key = this.input.pseudonymKey ? decodePseudonymKey(this.input.pseudonymKey) : null;
    return [
      { key: sa.holder, value: key && s.holder ? pseudonym(key, s.holder.id) : null },
      { key: sa.members, value: key ? caseMembers(s).map((id) => pseudonym(key, id)) : null },
    ];
  }
}

// ── Commands ────────────────────────────────────────────────────────────────────────────────

type Lock = <T>(fn: () => Promise<T>) => Promise<T>;

/**
 * Commands that await (capacity counts) run one at a time, so each sees the state the last left.
 * Runs from before `async-mutex` keep the hand-rolled promise chain: how many microtasks a lock
 * takes decides how a command interleaves with a timer firing in the same activation, and so the
 * order of the commands in their recorded history.
 */
function commandLock(): Lock {
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
interface CommandInput {
  actor: Actor;
  asMember?: string;
  kommune?: string;
  requestHash?: string;
}

/** What differs between commands; everything else is `registerCommand`'s one path. */
interface CaseCommand<I extends CommandInput> {
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
function registerCommand<I extends CommandInput>(
  run: CaseRun,
  exclusive: Lock,
  update: UpdateDefinition<CaseView, [I]>,
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

const openCommand: CaseCommand<OpenCaseRequest> = {
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

const sendEventCommand: CaseCommand<SendEventInput> = {
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

const reopenCommand: CaseCommand<ReopenInput> = {
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

const migrateCommand: CaseCommand<MigrateInput> = {
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

// ── The case's log ──────────────────────────────────────────────────────────────────────────

/**
 * The stafettlogg lives in the store (see README, design notes): each entry is written once by
 * `appendCaseLog` and then dropped here, so `tail` holds only what is not written yet, and
 * continue-as-new carries state and that bounded tail. Runs from before keep and carry the whole log.
 */
class CaseLogWriter {
  readonly tail: HistoryEntry[];
  private nextSeq: number;
  private writing = false;
  /** Set when the wake loop ends: from then on the writer leaves a tail continue-as-new can carry. */
  resting = false;

  constructor(
    private readonly input: CaseWorkflowInput,
    readonly inStore: boolean,
    private readonly finished: () => boolean,
  ) {
    this.tail =
      input.carried?.tail ?? (input.carried?.history ?? []).map((e, i) => ({ ...e, seq: i + 1 }));
    this.nextSeq = input.carried?.nextSeq ?? this.tail.length + 1;
  }

  record(entry: Omit<HistoryEntry, 'seq'>): void {
    this.tail.push({ seq: this.nextSeq++, ...entry });
  }

  /** Writes the log to the store, oldest first, one write at a time; written entries leave memory. */
  async writeLoop(): Promise<void> {
    for (;;) {
      await condition(() => this.tail.length > 0 && !(this.resting && this.carriable()));
      this.writing = true;
      const batch = logBatch(this.tail);
      await appendCaseLog({
        kommune: this.input.kommune,
        caseId: this.input.caseId,
        entries: batch,
      });
      this.tail.splice(0, batch.length);
      this.writing = false;
    }
  }

  /** No write in flight (none is left behind), and the tail written or carriable. */
  readyToRest(): boolean {
    return !this.inStore || (!this.writing && (this.tail.length === 0 || this.carriable()));
  }

  /**
   * Continue-as-new carries the unwritten tail once it fits one write, rather than waiting for it
   * to empty: a steady stream of commands (each adding entries) could otherwise hold it off for
   * good. The archive reads the log from the store, so it waits for every write.
   */
  private carriable(): boolean {
    return !this.finished() && logBatch(this.tail).length === this.tail.length;
  }

  carried(state: CaseState): NonNullable<CaseWorkflowInput['carried']> {
    return this.inStore
      ? { state, tail: this.tail, nextSeq: this.nextSeq }
      : { state, history: this.tail };
  }
}

// ── Waking, resting ─────────────────────────────────────────────────────────────────────────

/**
 * Sleeps until the earliest armed timer is due (or the short way back closes, or a waiting
 * handover is to be looked at again) or the state changes, then fires every due timer in due
 * order. Timers of a step the case left are gone from state.timers, so leaving a step cancels them.
 * Returns when the case should rest.
 */
async function wakeLoop(run: CaseRun): Promise<void> {
  // Runs from before re-armed their one timer on every change (a cancelled and a new timer in
  // history per command); newer runs keep it unless the next wake moves earlier.
  const alarm = patched('wake-timer-kept') ? new WakeAlarm() : null;
  let capacityCheckAt = 0;
  for (;;) {
    const seen = run.changes;
    capacityCheckAt = nextCapacityCheck(
      run.state,
      capacityCheckAt,
      Date.now(),
      run.input.capacityRecheckMs ?? CAPACITY_RECHECK_MS,
    );
    const wakeAt = run.state
      ? nextWakeAt(run.k.config, run.state, run.state.capacityWait ? capacityCheckAt : null)
      : null;
    const wake = () => run.changes !== seen || run.shouldRest();
    let due: boolean;
    if (alarm) {
      alarm.ringBy(wakeAt);
      await condition(() => wake() || alarm.rang);
      due = alarm.take();
    } else {
      const wait = wakeAt === null ? undefined : Math.max(0, wakeAt - Date.now());
      due = !(wait === undefined ? (await condition(wake), true) : await condition(wake, wait));
    }
    if (run.shouldRest()) return;
    if (due && run.state) run.fireDueTimers();
    if (due && run.state?.capacityWait && capacityCheckAt <= Date.now())
      await run.retryWaitingHandover();
  }
}

/**
 * The wake loop's one durable timer. A change that moves the next wake later (most commands:
 * they restart inactivity timers) leaves it armed; when it rings early the loop simply finds
 * nothing due and arms the next one.
 */
class WakeAlarm {
  private at: number | null = null;
  private scope: CancellationScope | null = null;
  rang = false;

  /** Arms a timer for `at` unless one already rings no later; null keeps whatever is armed. */
  ringBy(at: number | null): void {
    if (at === null || (this.at !== null && this.at <= at)) return;
    this.scope?.cancel();
    const scope = new CancellationScope();
    this.scope = scope;
    this.at = at;
    void scope
      .run(() => sleep(Math.max(0, at - Date.now())))
      .then(
        () => {
          if (this.scope === scope) this.rang = true;
        },
        // Cancelled: a nearer timer replaced it.
        () => undefined,
      );
  }

  /** Whether it rang since the last take; a rung alarm is disarmed. */
  take(): boolean {
    if (!this.rang) return false;
    this.rang = false;
    this.at = null;
    this.scope = null;
    return true;
  }
}

/** Once effects, handlers and log writes are done: a finished case is archived, a long one continues as new. */
async function rest(run: CaseRun): Promise<CaseState | null> {
  run.log.resting = true;
  await condition(
    () => run.pendingEffects.size === 0 && allHandlersFinished() && run.log.readyToRest(),
  );
  const { input, k, state } = run;
  if (state && isFinished(k.config, state, Date.now())) {
    const record: CaseRecordInput = {
      kommune: input.kommune,
      caseId: input.caseId,
      configVersion: k.version,
      closedAt: state.closedAt ?? run.now(),
      state,
    };
    await archiveCaseRecord(run.log.inStore ? record : { ...record, history: run.log.tail });
    return state;
  }
  return continueAsNew<typeof caseWorkflow>({
    ...input,
    config: k.config,
    configVersion: k.version,
    carried: run.log.carried(state!),
  });
}
