/**
 * One family's case, from the first worry to closing and the short way back.
 *
 * The workflow runs the kommune's compiled machine (pure, from `machines/`) on the config
 * version the case started under, owns every timer (absolute due times kept in case state,
 * re-armed after continue-as-new), and runs the machine's side effects as activities.
 * Coordinators' commands are updates with validators, so a rejected command never enters history.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineUpdate,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
  log,
  patched,
} from '@temporalio/workflow';
import type { KommuneConfig } from '../config/types';
import type { CaseRecordInput, Notification } from '../activities/activity-types';
import type { createActivities } from '../activities';
import {
  addDuration,
  allowedEvents,
  applyEvent,
  capacityRoleFor,
  caseMembers,
  decodePseudonymKey,
  ENGINE_ACTOR as ENGINE,
  EngineEvents,
  fireTimer,
  isCaseMember,
  migrateCase,
  nextDueAt,
  openCase,
  pseudonym,
  reopenCase,
  sharedCompileKommune,
  type Actor,
  type AllowedEvent,
  type OpenCaseInput,
  type CaseState,
  type Rejection,
  type SideEffect,
  type StepResult,
} from '../machines';
import { caseSearchAttributes as sa } from './search-attributes';

type Activities = ReturnType<typeof createActivities>;
type Accepted = Extract<StepResult, { ok: true }>;

// Notifications retry for about a day, then give up: a failing channel must never block a case.
// Handing a message to a channel takes well under ten seconds; a lost worker is noticed then.
const { deliverNotification } = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 hour', maximumAttempts: 30 },
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
  kind: 'opened' | 'event' | 'timer' | 'reopened' | 'migrated' | 'handover' | 'notified' | 'notificationFailed';
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
/** One write of log entries: far below Temporal's 2 MB per payload, and a bounded SQL statement. */
const LOG_BATCH = { entries: 500, chars: 256 * 1024 };

/** Fills a template's placeholders with non-personal case facts only. */
function render(text: string, s: CaseState): string {
  const facts: Record<string, string> = {
    caseId: s.caseId,
    step: s.step,
    level: String(s.level),
    dueAt: nextDueAt(s) ?? '',
  };
  return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (Object.hasOwn(facts, name) ? facts[name] : whole));
}

function earliest(a: string | number | null, b: number | null): number | null {
  const first = typeof a === 'string' ? Date.parse(a) : a;
  if (first === null) return b;
  return b === null ? first : Math.min(first, b);
}

/** The oldest entries that fit one write; at least one, however large. */
function logBatch(entries: HistoryEntry[]): HistoryEntry[] {
  let chars = 0;
  let n = 0;
  while (n < entries.length && n < LOG_BATCH.entries) {
    chars += JSON.stringify(entries[n]).length;
    if (n > 0 && chars > LOG_BATCH.chars) break;
    n++;
  }
  return entries.slice(0, n);
}

function rejected(rejection: Rejection): ApplicationFailure {
  return ApplicationFailure.create({
    type: CaseFailures.rejected,
    message: rejection.message,
    details: [rejection],
    nonRetryable: true,
  });
}

function conflict(expected: number, actual: number): ApplicationFailure {
  return ApplicationFailure.create({
    type: CaseFailures.conflict,
    message: `the case is at revision ${actual}, not ${expected}: reload and try again`,
    details: [{ expectedRevision: expected, revision: actual }],
    nonRetryable: true,
  });
}

export async function caseWorkflow(input: CaseWorkflowInput): Promise<CaseState | null> {
  // Forms bounded by default and patterns on RE2 change which payloads are accepted: a case that
  // started before keeps the old forms, so its recorded history replays as it ran.
  const compileOptions = { legacy: !patched('bounded-forms-re2') };
  // The config this case runs on (k.config): the one it started under, until explicitly migrated.
  // Compiled once per worker and version (machines/kommune-cache.ts); the case keeps the shared
  // copy of its config rather than its own (issue #12: memory per cached case).
  let k = sharedCompileKommune(input.kommune, input.config, input.configVersion, compileOptions);
  input.config = k.config;
  let state: CaseState | null = input.carried?.state ?? null;
  // The stafettlogg lives in the store (see README, design notes): each entry is written once by
  // `appendCaseLog` and then dropped here, so `logTail` holds only what is not written yet, and
  // continue-as-new carries state and that bounded tail. Runs from before keep and carry the whole log.
  const logInStore = patched('case-log-in-store');
  const logTail: HistoryEntry[] = input.carried?.tail ?? (input.carried?.history ?? []).map((e, i) => ({ ...e, seq: i + 1 }));
  let nextSeq = input.carried?.nextSeq ?? logTail.length + 1;
  let writing = false;
  /** Set when the main loop ends: from then on the writer leaves a tail continue-as-new can carry. */
  let resting = false;
  /** Bumped whenever state changes so the main loop re-reads the timers. */
  let changes = 0;
  const pendingEffects = new Set<Promise<void>>();
  // Handlers that await (capacity checks) run one at a time, so each sees the state the last left.
  let lock: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = lock.then(fn, fn);
    lock = run.catch(() => undefined);
    return run;
  };

  const now = () => new Date().toISOString();
  const view = (role?: string): CaseView | null =>
    state && { state, allowedEvents: role ? allowedEvents(k, state, role) : [] };
  const answer = (cmd: { actor: Actor; requestHash?: string }): CaseView =>
    cmd.requestHash === undefined ? view(cmd.actor.role)! : { ...view(cmd.actor.role)!, requestHash: cmd.requestHash };

  function requireState(): CaseState {
    if (!state) {
      throw ApplicationFailure.create({ type: CaseFailures.notOpened, message: 'the case has not been opened', nonRetryable: true });
    }
    return state;
  }

  /**
   * First in every validator of a command, so "not yours" is told before anything about the case:
   * the case's own record decides, never the workflow id.
   */
  function checkMember({ asMember, kommune }: { asMember?: string; kommune?: string }): void {
    const notYours = state && ((asMember !== undefined && !isCaseMember(state, asMember)) || (kommune !== undefined && state.kommune !== kommune));
    if (notYours) {
      throw ApplicationFailure.create({ type: CaseFailures.notVisible, message: 'no such case', nonRetryable: true });
    }
  }

  function checkRevision(expected: number): void {
    const current = requireState().revision;
    if (expected !== current) throw conflict(expected, current);
  }

  function orReject(result: StepResult): Accepted {
    if (!result.ok) throw rejected(result.rejection);
    return result;
  }

  /**
   * Enforces the capacity rule on a new holder. Full and `whenFull: "reject"`: the command is
   * refused. Full and `"wait"`: the command goes through, the previous holder keeps the case and
   * the handover waits until the new holder has room (re-checked by the main loop).
   */
  async function withCapacity(before: CaseState | null, result: Accepted): Promise<Accepted> {
    const rule = capacityRoleFor(k, result.state);
    const holder = result.state.holder;
    if (!rule || !holder || holder.id === before?.holder?.id) return result;
    const open = await countOpenCasesForHolder({ kommune: input.kommune, holderId: holder.id, caseId: input.caseId });
    if (open < rule.maxOpenCases) return result;
    if (rule.whenFull === 'wait') {
      const waiting = { holderId: holder.id, role: holder.role, since: now() };
      return { ...result, state: { ...result.state, holder: before?.holder ?? null, capacityWait: waiting } };
    }
    throw ApplicationFailure.create({
      type: CaseFailures.capacityFull,
      message: `${holder.id} already holds ${open} open cases; the limit for role ${rule.role} is ${rule.maxOpenCases}`,
      details: [{ role: rule.role, holderId: holder.id, open, max: rule.maxOpenCases }],
      nonRetryable: true,
    });
  }

  /** Completes a waiting handover once the named person has room. */
  async function retryWaitingHandover(): Promise<void> {
    const s = state;
    const waiting = s?.capacityWait;
    if (!s || !waiting) return;
    const rule = k.config.capacity?.find((r) => r.role === waiting.role);
    const open = await countOpenCasesForHolder({ kommune: input.kommune, holderId: waiting.holderId, caseId: input.caseId });
    if (state !== s || (rule && open >= rule.maxOpenCases)) return;
    const next: CaseState = { ...s, holder: { id: waiting.holderId, role: waiting.role, since: now() }, revision: s.revision + 1 };
    delete next.capacityWait;
    commit({ ok: true, state: next, effects: [], transition: { from: s.step, to: s.step, event: EngineEvents.capacity } }, {
      kind: 'handover',
      actor: ENGINE,
      what: 'capacity freed',
      from: s.step,
      to: s.step,
      payload: { holderId: waiting.holderId, waitedSince: waiting.since },
    });
  }

  function record(entry: Omit<HistoryEntry, 'seq'>): void {
    logTail.push({ seq: nextSeq++, ...entry });
  }

  /** Writes the log to the store, oldest first, one write at a time; written entries leave memory. */
  async function writeLog(): Promise<void> {
    for (;;) {
      await condition(() => logTail.length > 0 && !(resting && logCarriable()));
      writing = true;
      const batch = logBatch(logTail);
      await appendCaseLog({ kommune: input.kommune, caseId: input.caseId, entries: batch });
      logTail.splice(0, batch.length);
      writing = false;
    }
  }

  function commit(result: Accepted, entry: Omit<HistoryEntry, 'seq' | 'at' | 'revision'>): void {
    const before = state?.holder ?? null;
    state = result.state;
    record({ at: now(), revision: state.revision, ...entry });
    const after = state.holder;
    if (entry.kind !== 'handover' && after && after.id !== before?.id) {
      // The stafettholder changes hands explicitly and visibly: who from, who to, by whom.
      record({
        at: now(),
        revision: state.revision,
        kind: 'handover',
        actor: entry.actor,
        what: `${before?.id ?? '—'} → ${after.id}`,
        payload: { from: before, to: after },
      });
    }
    changes++;
    publishSearchAttributes(state);
    runSideEffects(state, result.effects);
  }

  function runSideEffects(s: CaseState, effects: SideEffect[]): void {
    effects.forEach((effect, index) => {
      const notification = toNotification(s, effect, `${workflowInfo().workflowId}/${s.revision}/${index}`);
      const p = deliverNotification(notification).then(
        () => {
          record({ at: now(), revision: s.revision, kind: 'notified', actor: ENGINE, what: notification.kind, to: notification.to });
        },
        (err: unknown) => {
          log.warn('notification failed for good', { caseId: input.caseId, kind: notification.kind });
          record({ at: now(), revision: s.revision, kind: 'notificationFailed', actor: ENGINE, what: notification.kind, to: notification.to, payload: { message: String((err as Error)?.message ?? err) } });
        },
      );
      pendingEffects.add(p);
      void p.finally(() => pendingEffects.delete(p));
    });
  }

  function toNotification(s: CaseState, effect: SideEffect, key: string): Notification {
    const template = k.config.templates?.[effect.template];
    const base = {
      key,
      kommune: input.kommune,
      caseId: input.caseId,
      template: effect.template,
      title: render(template?.title ?? effect.template, s),
      body: render(template?.body ?? '', s),
      createdAt: now(),
    };
    switch (effect.type) {
      case 'notify':
        return { ...base, kind: 'notify', to: effect.role, toId: effect.role === 'holder' ? s.holder?.id : undefined, reason: effect.reason };
      case 'escalate':
        return { ...base, kind: 'escalate', to: effect.role, reason: effect.reason };
      case 'sendFeedbackLink':
        return { ...base, kind: 'feedbackLink', to: 'family', reason: 'case closed', link: `${input.feedbackBaseUrl ?? '/tilbakemelding'}/${uuid4()}` };
      case 'sendSurvey':
        return { ...base, kind: 'survey', to: 'family', reason: 'yearly survey', link: `${input.feedbackBaseUrl ?? '/tilbakemelding'}/${uuid4()}` };
    }
  }

  setHandler(viewQuery, (role?: string, asMember?: string) =>
    asMember !== undefined && state && !isCaseMember(state, asMember) ? null : view(role),
  );
  setHandler(historyQuery, () => logTail);

  let openFailed = false;
  setHandler(
    openCaseUpdate,
    (cmd) =>
      exclusive(async () => {
        try {
          return await openNow(cmd);
        } catch (err) {
          openFailed = !state;
          throw err;
        }
      }),
    {
      validator: (cmd) => {
        if (state) throw ApplicationFailure.create({ type: CaseFailures.alreadyOpened, message: 'the case is already open', nonRetryable: true });
        orReject(openCase(k, { caseId: input.caseId, referralSource: cmd.referralSource, payload: cmd.payload, actor: cmd.actor, now: now() }));
      },
    },
  );

  async function openNow(cmd: OpenCaseRequest): Promise<CaseView> {
    if (state) throw ApplicationFailure.create({ type: CaseFailures.alreadyOpened, message: 'the case is already open', nonRetryable: true });
    const result = orReject(openCase(k, { caseId: input.caseId, referralSource: cmd.referralSource, payload: cmd.payload, actor: cmd.actor, now: now() }));
    const checked = await withCapacity(null, result);
    commit(checked, { kind: 'opened', actor: cmd.actor, what: 'opened', from: null, to: result.state.step, payload: cmd.payload });
    return view(cmd.actor.role)!;
  }

  setHandler(
    sendEventUpdate,
    (cmd) =>
      exclusive(async () => {
        checkRevision(cmd.expectedRevision);
        const before = requireState();
        const result = orReject(applyEvent(k, before, { type: cmd.type, payload: cmd.payload, actor: cmd.actor }, now()));
        const checked = await withCapacity(before, result);
        checkRevision(cmd.expectedRevision);
        commit(checked, { kind: 'event', actor: cmd.actor, what: cmd.type, from: result.transition.from, to: result.transition.to, payload: cmd.payload });
        return answer(cmd);
      }),
    {
      validator: (cmd) => {
        checkMember(cmd);
        checkRevision(cmd.expectedRevision);
        orReject(applyEvent(k, requireState(), { type: cmd.type, payload: cmd.payload, actor: cmd.actor }, now()));
      },
    },
  );

  setHandler(
    reopenCaseUpdate,
    (cmd) =>
      exclusive(async () => {
        checkRevision(cmd.expectedRevision);
        const before = requireState();
        const result = orReject(reopenCase(k, before, { actor: cmd.actor, payload: cmd.payload, now: now() }));
        const checked = await withCapacity(before, result);
        checkRevision(cmd.expectedRevision);
        commit(checked, { kind: 'reopened', actor: cmd.actor, what: 'reopened', from: result.transition.from, to: result.transition.to, payload: cmd.payload });
        return answer(cmd);
      }),
    {
      validator: (cmd) => {
        checkMember(cmd);
        checkRevision(cmd.expectedRevision);
        orReject(reopenCase(k, requireState(), { actor: cmd.actor, payload: cmd.payload, now: now() }));
      },
    },
  );

  setHandler(
    migrateCaseUpdate,
    (cmd) =>
      exclusive(async () => {
        checkRevision(cmd.expectedRevision);
        const next = sharedCompileKommune(input.kommune, cmd.config, cmd.configVersion, compileOptions);
        const result = orReject(migrateCase(next, requireState(), { stepMapping: cmd.stepMapping, now: now() }));
        k = next;
        commit(result, {
          kind: 'migrated',
          actor: cmd.actor,
          what: `version ${cmd.configVersion}`,
          from: result.transition.from,
          to: result.transition.to,
          payload: { stepMapping: cmd.stepMapping ?? {} },
        });
        return view(cmd.actor.role)!;
      }),
    {
      validator: (cmd) => {
        checkRevision(cmd.expectedRevision);
        orReject(migrateCase(sharedCompileKommune(input.kommune, cmd.config, cmd.configVersion, compileOptions), requireState(), { stepMapping: cmd.stepMapping, now: now() }));
      },
    },
  );

  if (logInStore) void writeLog();

  if (!state && patched('unopened-case-ends')) {
    // Started by update-with-start whose opening was refused: nothing to keep, so end.
    await condition(() => state !== null || openFailed, OPEN_DEADLINE);
    if (!state) {
      await condition(allHandlersFinished);
      return null;
    }
  }

  if (state) publishSearchAttributes(state);
  else upsertSearchAttributes([{ key: sa.kommune, value: input.kommune }, { key: sa.configVersion, value: input.configVersion }]);

  // Main loop: sleep until the earliest armed timer is due (or the short way back closes) or
  // the state changes, then fire every due timer in due order. Timers of a step the case left
  // are gone from state.timers, so leaving a step cancels them.
  let capacityCheckAt = 0;
  for (;;) {
    const seen = changes;
    if (state?.capacityWait && capacityCheckAt <= Date.now()) capacityCheckAt = Date.now() + (input.capacityRecheckMs ?? CAPACITY_RECHECK_MS);
    const waitingUntil = state?.capacityWait ? capacityCheckAt : null;
    const wakeAt = state ? earliest(nextDueAt(state), earliest(reopenUntil(state), waitingUntil)) : null;
    const wait = wakeAt === null ? undefined : Math.max(0, wakeAt - Date.now());
    const wake = () => changes !== seen || shouldRest();
    const changed = wait === undefined ? (await condition(wake), true) : await condition(wake, wait);
    if (shouldRest()) break;
    if (!changed && state) fireDueTimers();
    if (!changed && state?.capacityWait && capacityCheckAt <= Date.now()) await retryWaitingHandover();
  }

  resting = true;
  await condition(() => pendingEffects.size === 0 && allHandlersFinished() && logReadyToRest());
  if (state && isFinished(state)) {
    await archiveCaseRecord(caseRecord(state));
    return state;
  }
  const carried = logInStore ? { state: state!, tail: logTail, nextSeq } : { state: state!, history: logTail };
  return continueAsNew<typeof caseWorkflow>({ ...input, config: k.config, configVersion: k.version, carried });

  function fireDueTimers(): void {
    for (;;) {
      const s = state!;
      const dueTimer = [...s.timers].sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
      if (!dueTimer || Date.parse(dueTimer.dueAt) > Date.now()) return;
      const result = fireTimer(k, s, dueTimer.key, now());
      if (!result.ok) {
        // A timer the machine will not fire is a bug in config or machine; drop it loudly
        // rather than spin on it.
        log.error('timer could not fire', { caseId: input.caseId, timer: dueTimer.key, code: result.rejection.code });
        state = { ...s, timers: s.timers.filter((t) => t.key !== dueTimer.key) };
        changes++;
        continue;
      }
      commit(result, { kind: 'timer', actor: ENGINE, what: dueTimer.key, from: result.transition.from, to: result.transition.to });
    }
  }

  /** The loop ends to archive a finished case, or to continue-as-new a long one. */
  function shouldRest(): boolean {
    if (!state) return false;
    if (isFinished(state)) return true;
    const info = workflowInfo();
    return (
      info.continueAsNewSuggested ||
      info.historyLength > (input.historyLimit ?? MAX_HISTORY_EVENTS) ||
      (logInStore && info.historySize > MAX_HISTORY_BYTES)
    );
  }

  /** No write in flight (none is left behind), and the tail written or carriable. */
  function logReadyToRest(): boolean {
    return !logInStore || (!writing && (logTail.length === 0 || logCarriable()));
  }

  /**
   * Continue-as-new carries the unwritten tail once it fits one write, rather than waiting for it
   * to empty: a steady stream of commands (each adding entries) could otherwise hold it off for
   * good. The archive reads the log from the store, so it waits for every write.
   */
  function logCarriable(): boolean {
    return !isFinished(state!) && logBatch(logTail).length === logTail.length;
  }

  /** Closed with nothing armed and the short way back (if any) over: time to archive. */
  function isFinished(s: CaseState): boolean {
    if (s.status === 'open' || s.timers.length > 0) return false;
    const until = reopenUntil(s);
    return until === null || until <= Date.now();
  }

  /** When the short way back closes for a closed case; null when there is none. */
  function reopenUntil(s: CaseState): number | null {
    const reopen = k.config.reopen;
    if (s.status === 'open' || !reopen || !s.closedAt) return null;
    return Date.parse(addDuration(s.closedAt, reopen.within));
  }

  function caseRecord(s: CaseState): CaseRecordInput {
    const base = { kommune: input.kommune, caseId: input.caseId, configVersion: k.version, closedAt: s.closedAt ?? now(), state: s };
    return logInStore ? base : { ...base, history: logTail };
  }

  function publishSearchAttributes(s: CaseState): void {
    const next = nextDueAt(s);
    upsertSearchAttributes([
      { key: sa.kommune, value: s.kommune },
      { key: sa.level, value: s.level },
      { key: sa.step, value: s.step },
      { key: sa.status, value: s.status },
      ...peopleSearchAttributes(s),
      { key: sa.nextDueAt, value: next ? new Date(next) : null },
      { key: sa.overdue, value: s.overdue },
      { key: sa.referralSource, value: s.referralSource },
      { key: sa.configVersion, value: s.configVersion },
      { key: sa.path, value: [...new Set(s.path)] },
      { key: sa.lastActivityAt, value: new Date(s.lastActivityAt) },
    ]);
  }

  /**
   * The holder, and everyone the case belongs to, as pseudonyms (keyed hashes), so a role that
   * sees its own cases lists them with one visibility query. Never a raw id: ids are typed by
   * users. Recorded cases published the raw holder id; their replay must do the same.
   */
  function peopleSearchAttributes(s: CaseState) {
    if (!patched('pseudonymous-search-attributes')) return [{ key: sa.holder, value: s.holder?.id ?? null }];
    const key = input.pseudonymKey ? decodePseudonymKey(input.pseudonymKey) : null;
    return [
      { key: sa.holder, value: key && s.holder ? pseudonym(key, s.holder.id) : null },
      { key: sa.members, value: key ? caseMembers(s).map((id) => pseudonym(key, id)) : null },
    ];
  }
}
