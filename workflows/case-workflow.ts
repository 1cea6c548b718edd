/**
 * One family's case, from the first worry to closing and the short way back.
 *
 * The workflow runs the kommune's compiled machine (pure, from `machines/`) on the config
 * version the case started under, owns every timer (absolute due times kept in case state,
 * re-armed after continue-as-new), and runs the machine's side effects as activities.
 * Coordinators' commands are updates with validators, so a rejected command never enters history.
 *
 * Shape: here the workflow, `CaseRun` (the state and what changes it) and rest (archive or
 * continue-as-new); message definitions in `case-messages.ts`; `registerCommand` in
 * `case-commands.ts`, the one path every command takes (validator: membership, revision, machine;
 * handler: revision, machine, capacity, revision again, commit, under the lock when a capacity
 * count awaits or another command holds it); `CaseLogWriter` in
 * `case-log-writer.ts`; the wake loop in `wake-loop.ts`. What needs no Temporal API lives in
 * `machines/`.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
  log,
} from '@temporalio/workflow';
import type { CaseRecordInput, Notification } from '../activities/activity-types';
import type { CapacityRule } from '../config/types';
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
  actionPointDueAt,
  nextDueAt,
  listedActivity,
  listedDue,
  pendingReopenRequest,
  pseudonym,
  type Actor,
  type CaseState,
  type CompiledKommune,
  type CompileKommuneOptions,
  type SideEffect,
} from '../machines';
import { caseFacts } from '../machines/case-facts';
import { visitedSteps } from '../machines/case-path';
import { notificationFor } from '../machines/case-notification';
import { caseView, visibleCaseView } from '../machines/case-view';
import { dueTimer, isFinished } from '../machines/case-wake';
import {
  commandLock,
  declineReopenCommand,
  failure,
  migrateCommand,
  openCommand,
  registerCommand,
  reopenCommand,
  requestReopenCommand,
  sendEventCommand,
  type Accepted,
} from './case-commands';
import { completeTaskCommand, deliverTracked } from './case-delivery';
import { CaseLogWriter } from './case-log-writer';
import {
  CaseFailures,
  completeTaskUpdate,
  declineReopenUpdate,
  historyQuery,
  migrateCaseUpdate,
  openCaseUpdate,
  reopenCaseUpdate,
  requestReopenUpdate,
  sendEventUpdate,
  viewQuery,
  type CaseWorkflowInput,
  type CommandAnswer,
  type HistoryEntry,
} from './case-messages';
import { casePatches, type CasePatches } from './patches';
import { caseSearchAttributes as sa } from './search-attributes';
import { wakeLoop } from './wake-loop';

/** For the commands and the wake loop, which act on a run; the bundle exports no class. */
export type { CaseRun, LogEntryFields };

type Activities = ReturnType<typeof createActivities>;

const { archiveCaseRecord, countOpenCasesForHolder, caseloadOfHolder } =
  proxyActivities<Activities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
  });

/** A workflow whose opening command never succeeds ends after this long, leaving nothing behind. */
const OPEN_DEADLINE = '1 hour';
/** Continue-as-new well before Temporal's history limits; a case lives for months. */
const MAX_HISTORY_EVENTS = 5000;
/** …and well before its 50 MB, whatever users type. */
const MAX_HISTORY_BYTES = 20 * 1024 * 1024;

export async function caseWorkflow(input: CaseWorkflowInput): Promise<CaseState | null> {
  // Forms bounded by default and patterns on RE2 change which payloads are accepted: a case that
  // started before keeps the old forms, so its recorded history replays as it ran.
  const patched = casePatches();
  const compileOptions = { legacy: !patched('bounded-forms-re2') };
  const run = new CaseRun(input, compileOptions, patched);
  const lock = commandLock(patched);

  setHandler(viewQuery, (role?: string, asMember?: string, actorId?: string) =>
    visibleCaseView(run.k, run.state, role ? { role, id: actorId } : undefined, asMember),
  );
  setHandler(historyQuery, () => run.log.tail);
  registerCommand(run, lock, openCaseUpdate, openCommand);
  registerCommand(run, lock, sendEventUpdate, sendEventCommand);
  registerCommand(run, lock, reopenCaseUpdate, reopenCommand);
  registerCommand(run, lock, migrateCaseUpdate, migrateCommand);
  registerCommand(run, lock, completeTaskUpdate, completeTaskCommand);
  // No patch: only these updates set `reopenRequest`, and no recorded history has them, so every
  // recorded history replays as it ran (the search attribute below is written only once set).
  registerCommand(run, lock, requestReopenUpdate, requestReopenCommand);
  registerCommand(run, lock, declineReopenUpdate, declineReopenCommand);

  if (run.log.inStore) void run.log.writeLoop();

  if (!run.state && run.patched('unopened-case-ends')) {
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

type LogEntryFields = Omit<HistoryEntry, 'seq' | 'at' | 'revision' | 'facts'>;

/** One run of a case: its config, state and log, and the only code that changes them. */
class CaseRun {
  /** The config this case runs on (k.config): the one it started under, until explicitly migrated. */
  k: CompiledKommune;
  state: CaseState | null;
  /** Bumped whenever state changes so the wake loop re-reads the timers (runs from before). */
  changes = 0;
  /** Set by the waiting wake loop (`wake-on-commit`): re-arms its alarm after each commit. */
  onCommit?: () => void;
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
    /** Which changes this run has (see workflows/patches.ts). */
    readonly patched: CasePatches,
  ) {
    // Compiled once per worker for each config content (machines/ is preloaded, so its memo is
    // shared by every case); the case keeps that shared copy of its config rather than its own.
    this.k = compileKommune(input.config, input.configVersion, compileOptions);
    input.config = this.k.config;
    this.state = input.carried?.state ?? null;
    this.log = new CaseLogWriter(
      input,
      patched('case-log-in-store'),
      () => isFinished(this.k.config, this.state!, Date.now()),
      patched,
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

  /** The answer to a command: the case, echoing its request hash (see `CommandAnswer`). */
  answer(cmd: { actor: Actor; requestHash?: string }): CommandAnswer {
    if (this.compileOptions.legacy)
      return caseView(this.k, this.state!, cmd.actor, cmd.requestHash);
    const state = this.state!;
    return cmd.requestHash === undefined ? { state } : { state, requestHash: cmd.requestHash };
  }

  /** The capacity rule the step is counted under: it hands the case to a new holder whose role has one. */
  capacityToCount(before: CaseState | null, result: Accepted): CapacityRule | null {
    const rule = capacityRoleFor(this.k, result.state);
    return rule && result.state.holder?.id !== before?.holder?.id ? rule : null;
  }

  /**
   * Enforces the capacity rule on a new holder. Full and `whenFull: "reject"`: the command is
   * refused. Full and `"wait"`: the command goes through, the previous holder keeps the case and
   * the handover waits until the new holder has room (re-checked by the wake loop).
   */
  async withCapacity(before: CaseState | null, result: Accepted): Promise<Accepted> {
    const rule = this.capacityToCount(before, result);
    const holder = result.state.holder;
    if (!rule || !holder) return result;
    const { open, max } = await this.caseload(holder.id, rule.maxOpenCases);
    if (open < max) return result;
    if (rule.whenFull === 'wait') {
      const waiting = { holderId: holder.id, role: holder.role, since: this.now() };
      return {
        ...result,
        state: { ...result.state, holder: before?.holder ?? null, capacityWait: waiting },
      };
    }
    throw failure(
      CaseFailures.capacityFull,
      max === rule.maxOpenCases
        ? `${holder.id} already holds ${open} open cases; the limit for role ${rule.role} is ${rule.maxOpenCases}`
        : `${holder.id} already holds ${open} open cases; their own limit is ${max}`,
      [{ role: rule.role, holderId: holder.id, open, max }],
    );
  }

  /**
   * A person's open cases and the most they may hold: their own limit when a leader set one,
   * else `roleMax`. Runs before the personal limits (no `personal-caseload` marker) counted only.
   */
  private async caseload(
    holderId: string,
    roleMax: number,
  ): Promise<{ open: number; max: number }> {
    const input = { kommune: this.input.kommune, holderId, caseId: this.input.caseId };
    if (!this.patched('personal-caseload'))
      return { open: await countOpenCasesForHolder(input), max: roleMax };
    const { open, personalMax } = await caseloadOfHolder(input);
    return { open, max: personalMax ?? roleMax };
  }

  /** Completes a waiting handover once the named person has room. */
  async retryWaitingHandover(): Promise<void> {
    const s = this.state;
    const waiting = s?.capacityWait;
    if (!s || !waiting) return;
    const rule = this.k.config.capacity?.find((r) => r.role === waiting.role);
    const { open, max } = await this.caseload(waiting.holderId, rule?.maxOpenCases ?? Infinity);
    if (this.state !== s || open >= max) return;
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

  /**
   * A person's pseudonym, as in search attributes and facts; null for cases from before them.
   * Kept per run: every commit publishes the holder's and members' pseudonyms, each an HMAC.
   */
  private pseudonymOf(id: string): string | null {
    if (this.pseudonymKey === undefined)
      this.pseudonymKey = this.input.pseudonymKey
        ? decodePseudonymKey(this.input.pseudonymKey)
        : null;
    if (!this.pseudonymKey) return null;
    let known = this.pseudonyms.get(id);
    if (known === undefined) {
      // The people of one case are few; the bound only keeps a pathological case small.
      if (this.pseudonyms.size >= 256) this.pseudonyms.clear();
      known = pseudonym(this.pseudonymKey, id);
      this.pseudonyms.set(id, known);
    }
    return known;
  }
  private pseudonymKey?: Uint8Array | null;
  private readonly pseudonyms = new Map<string, string>();

  /** The accepted step becomes the case: logged (with any handover), published, its effects run. */
  commit(result: Accepted, entry: LogEntryFields): void {
    const previous = this.state;
    const before = previous?.holder ?? null;
    const state = (this.state = result.state);
    // The statistics' facts ride on the entry to the store (machines/case-facts.ts): data only,
    // no command of its own, so histories replay as they ran.
    const facts = caseFacts(previous, state, {
      config: this.k.config,
      entry,
      pseudonymOf: (id) => this.pseudonymOf(id),
    });
    this.log.record({
      at: this.now(),
      revision: state.revision,
      ...entry,
      ...(facts.length > 0 ? { facts } : {}),
    });
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
    // A closed case has its log in the store at once, whatever its last messages still wait for.
    // So has an opened one, in the opening's task: left alone, it would wake ten minutes later
    // only to write, mostly out of the worker's cache and so replayed first (issue #12).
    if (state.status !== 'open' || (previous === null && this.patched('case-log-at-open')))
      this.log.flushSoon();
    this.publishSearchAttributes(state);
    this.runSideEffects(state, result.effects);
    this.onCommit?.();
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
      this.deliver(notification, s.revision);
    });
  }

  /**
   * Hands a message to its channels and records the outcome (workflows/case-delivery.ts); the
   * case goes on meanwhile and waits for it only before it rests.
   */
  deliver(n: Notification, revision: number, makesTask = true): void {
    const p = deliverTracked(this, n, revision, makesTask);
    this.pendingEffects.add(p);
    void p.finally(() => this.pendingEffects.delete(p));
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
  /** Whether list times are published to the hour (machines/list-times.ts). */
  private hourly?: boolean;
  /** Whether the list's own attributes are upserted when they alone change. */
  private listOnChange?: boolean;

  publishSearchAttributes(s: CaseState): void {
    const next = nextDueAt(s);
    // Asked at the first publish: a run from before wrote exact times, and replays so.
    this.hourly ??= this.patched('hourly-list-times');
    const attributes = [
      { key: sa.kommune, value: s.kommune },
      { key: sa.level, value: s.level },
      { key: sa.step, value: s.step },
      { key: sa.status, value: s.status },
      ...this.peopleSearchAttributes(s),
      { key: sa.nextDueAt, value: next ? (this.hourly ? listedDue(next) : new Date(next)) : null },
      { key: sa.overdue, value: s.overdue },
      { key: sa.referralSource, value: s.referralSource },
      { key: sa.configVersion, value: s.configVersion },
      { key: sa.path, value: visitedSteps(s) },
      {
        key: sa.lastActivityAt,
        value: this.hourly ? listedActivity(s.lastActivityAt) : new Date(s.lastActivityAt),
      },
      // Only once the case has had a task: runs from before upsert exactly what they did.
      ...(s.tasks ? [{ key: sa.openTasks, value: s.tasks.length }] : []),
      ...this.reopenRequestedAttribute(s),
    ];
    // Each upsert is an event in the case's history: newer runs write only what changed.
    if (this.published === undefined)
      this.published = this.patched('search-attributes-on-change') ? new Map() : null;
    const published = this.published;
    const changed = published
      ? attributes.filter((a) => published.get(a.key.name) !== JSON.stringify(a.value))
      : attributes;
    const listChanged = listAttributes(s).filter(
      (a) => !published || published.get(a.key.name) !== JSON.stringify(a.value),
    );
    if (changed.length === 0) {
      // Runs from before let the list's attributes (escalated, an action point's due time) wait
      // for the case's next upsert; newer runs write them when they change. Asked only where the
      // two differ, so a case whose list attributes always ride along never writes the marker.
      if (listChanged.length === 0) return;
      this.listOnChange ??= this.patched('list-attributes-on-change');
      if (!this.listOnChange) return;
    }
    changed.push(...listChanged);
    upsertSearchAttributes(changed);
    for (const a of changed) published?.set(a.key.name, JSON.stringify(a.value));
  }

  /** Whether `SluseReopenRequested` was ever written in this run. */
  private reopenRequestedWritten = false;

  /**
   * `SluseReopenRequested`, once a family has asked in this case: a case never asked about writes
   * nothing new, so the histories recorded before it existed replay unchanged.
   */
  private reopenRequestedAttribute(s: CaseState) {
    const requested = pendingReopenRequest(s) !== undefined;
    if (!requested && !this.reopenRequestedWritten && s.reopenRequest === undefined) return [];
    this.reopenRequestedWritten = true;
    return [{ key: sa.reopenRequested, value: requested }];
  }

  /**
   * The holder, and everyone the case belongs to, as pseudonyms (keyed hashes), so a role that
   * sees its own cases lists them with one visibility query. Never a raw id: ids are typed by
   * users. Recorded cases published the raw holder id; their replay must do the same.
   */
  private peopleSearchAttributes(s: CaseState) {
    if (!this.patched('pseudonymous-search-attributes'))
      return [{ key: sa.holder, value: s.holder?.id ?? null }];
    return [
      { key: sa.holder, value: s.holder ? this.pseudonymOf(s.holder.id) : null },
      {
        key: sa.members,
        value: this.input.pseudonymKey ? caseMembers(s).map((id) => this.pseudonymOf(id)!) : null,
      },
    ];
  }
}

/** Opened date, time in step, escalation and action points' due time, for the case list. */
function listAttributes(s: CaseState) {
  const apDue = actionPointDueAt(s);
  return [
    { key: sa.openedAt, value: new Date(s.openedAt) },
    { key: sa.stepEnteredAt, value: new Date(s.stepEnteredAt).toISOString() },
    { key: sa.escalated, value: s.escalatedTo.length > 0 },
    { key: sa.actionPointDueAt, value: apDue },
  ];
}

// ── Resting ─────────────────────────────────────────────────────────────────────────────────

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
