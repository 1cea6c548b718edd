/**
 * The coordinators' operations on cases, protocol-free: each takes the caller's principal and
 * plain input, checks access, talks to Temporal, and returns API shapes or throws `ApiError`.
 *
 * Every case operation first reads the case and checks that its own record names the path's
 * kommune and case id exactly; a case of another kommune is answered like a missing one.
 *
 * Opening a case is update-with-start: the workflow id comes from the case id, which comes from
 * the Idempotency-Key when there is one, so one key can never open two cases; the update id is a
 * hash of the request, so a retry gets the first answer and another request under the same key
 * finds the case already opened (409). An event or a reopening with a key has the key alone as
 * its update id, so Temporal runs at most one request per key and case, and answers every later
 * one with the first's outcome; the workflow echoes the hash of the request it ran, so a retry
 * gets that answer and another request under the key a 409, having run nothing.
 *
 * @module
 */
import {
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import {
  allowedEvents,
  applyEvent,
  compileKommune,
  isCaseMember,
  pseudonym,
  openCase as tryOpenCase,
  type Actor,
} from '../machines';
import {
  CaseFailures,
  completeTaskUpdate,
  declineReopenUpdate,
  historyQuery,
  openCaseUpdate,
  reopenCaseUpdate,
  requestReopenUpdate,
  sendEventUpdate,
  viewQuery,
  type CaseView,
  type CommandAnswer,
  type HistoryEntry,
} from '../workflows/case-messages';
import { caseWorkflow } from '../workflows/case-workflow';
import type { CaseLog } from '../store/case-log';
import type { CaseAccessLog, CaseRead } from '../store/case-access-log';
import { caseWorkflowId } from '../workflows/search-attributes';
import { memberToBe, type AccessPolicy, type KommuneAccess } from './access-policy';
import { ApiError, caseNotFound } from './api-error';
import { commands } from '../runtime/metrics';
import type {
  CaseHistory,
  CaseSnapshot,
  CompleteTaskBody,
  OpenCaseBody,
  ReopenBody,
  ReopenRequestBody,
  SendEventBody,
} from './api-schemas';
import type { Principal } from './authenticate';
import type { ConfigSource } from './config-source';
import type { ConfigReferences } from '../runtime/config-references';
import { canonicalJson } from '../config/canonical-json';
import { caseIdFromKey, randomCaseId, shortHash } from './case-ids';
import { toCaseSnapshot, toHistoryEntries } from './case-snapshot';
import type { NotFoundPacer } from './not-found-pacing';
import { fromTemporalError, rejectionToApiError } from './temporal-errors';

export interface TemporalDeps {
  client: Client;
  taskQueue: string;
  /** Deadline for one Temporal call; past it the API answers 503. */
  timeoutMs: number;
}

export interface CaseServiceDeps extends TemporalDeps {
  access: AccessPolicy;
  /** Key of the pseudonyms new cases publish for their holder and members (runtime/key-ring.ts). */
  pseudonymKey: Uint8Array;
  /** Holds every case-404 to the time a read takes, so "not yours" looks like "missing". */
  notFound: NotFoundPacer;
  /** The cases' logs in the store; the workflows hold only what they have not written yet. */
  caseLog: CaseLog;
  /** The published versions, for the events a command's sender may send next. */
  configs: Pick<ConfigSource, 'version'>;
  /**
   * Where every read of a case's data is recorded before it is answered (#19); a read that
   * cannot be recorded is not answered.
   */
  accessLog?: Pick<CaseAccessLog, 'record'>;
  /** How long a new case's log (and the statistics' facts) may gather before it is written; default the workflow's. */
  caseLogFlushMs?: number;
  /** The client's codec that sends a published config as a reference (runtime/config-references.ts). */
  configReferences?: ConfigReferences;
}

export type CaseService = ReturnType<typeof createCaseService>;

async function counted<T>(kommune: string, command: string, run: () => Promise<T>): Promise<T> {
  try {
    const answer = await run();
    commands.inc({ kommune, command, result: 'accepted' });
    return answer;
  } catch (err) {
    commands.inc({ kommune, command, result: err instanceof ApiError ? err.code : 'error' });
    throw err;
  }
}

export function createCaseService(deps: CaseServiceDeps) {
  const { client } = deps;
  const withDeadline = <T>(fn: () => Promise<T>): Promise<T> =>
    client.connection.withDeadline(Date.now() + deps.timeoutMs, fn);
  const handle = (kommune: string, caseId: string) =>
    client.workflow.getHandle(caseWorkflowId(kommune, caseId));

  const pseudonymKey = Buffer.from(deps.pseudonymKey).toString('base64');

  /** A Temporal error as the API's answer; a not-found one no sooner than a read takes. */
  async function answerFor(
    err: unknown,
    access: KommuneAccess,
    caseId: string,
    started: number,
  ): Promise<ApiError> {
    const answer = fromTemporalError(err, access.kommune, caseId);
    if (answer.code === 'CASE_NOT_FOUND') await deps.notFound.hold(started);
    return answer;
  }

  /**
   * The case as `role` sees it, or not-found for a missing, unopened or not-visible case, and for
   * one whose own record names another kommune or id (never derived from the workflow id): one
   * query (the workflow decides membership), and one answer, in the same time, for all of them.
   */
  /** Records that the case was read, once its reader is known to see it (#19). */
  async function recordRead(access: KommuneAccess, caseId: string, what: CaseRead): Promise<void> {
    await deps.accessLog?.record({
      kommune: access.kommune,
      caseId,
      reader: pseudonym(deps.pseudonymKey, access.principal.sub),
      role: access.principal.role,
      what,
    });
  }

  async function readView(access: KommuneAccess, caseId: string): Promise<CaseView> {
    const started = performance.now();
    let view: CaseView | null;
    try {
      view = await withDeadline(() =>
        handle(access.kommune, caseId).query(
          viewQuery,
          access.principal.role,
          memberToBe(access),
          access.principal.sub,
        ),
      );
    } catch (err) {
      throw await answerFor(err, access, caseId, started);
    }
    deps.notFound.record(performance.now() - started);
    if (!view) {
      await deps.notFound.hold(started);
      throw caseNotFound(access.kommune, caseId);
    }
    if (view.state.kommune !== access.kommune || view.state.caseId !== caseId) {
      await deps.notFound.hold(started);
      throw caseNotFound(access.kommune, caseId);
    }
    return view;
  }

  /**
   * A command's answer as the sender's view: the events they may send next are computed here,
   * from the config version the case runs on (pure, as the workflow would), rather than carried
   * in every answer through Temporal and its history (see `CommandAnswer`).
   */
  async function senderView(access: KommuneAccess, answer: CommandAnswer): Promise<CaseView> {
    if (answer.allowedEvents) return answer as CaseView;
    const { state } = answer;
    const viewer = { id: access.principal.sub, role: access.principal.role };
    const k = await compiledFor(access, state.configVersion);
    return { ...answer, allowedEvents: allowedEvents(k, state, viewer) };
  }

  /** The compiled config version a case runs on (the current one, or the older one it kept). */
  async function compiledFor(access: KommuneAccess, configVersion: number) {
    const versioned =
      configVersion === access.version
        ? access
        : await deps.configs.version(access.kommune, configVersion);
    if (!versioned) throw new Error(`config version ${configVersion} is not published`);
    return compileKommune(versioned.config, versioned.version);
  }

  /** The case's complete log, in order: what the store holds and what the workflow has not written yet. */
  async function readLog(kommune: string, caseId: string): Promise<HistoryEntry[]> {
    return deps.caseLog.complete(kommune, caseId, async () => {
      try {
        return await withDeadline(() => handle(kommune, caseId).query(historyQuery));
      } catch (err) {
        throw fromTemporalError(err, kommune, caseId);
      }
    });
  }

  /** The log of a case the reader may see; a missing one answers no sooner than a read takes. */
  async function readLogOf(access: KommuneAccess, caseId: string): Promise<HistoryEntry[]> {
    const started = performance.now();
    try {
      return await readLog(access.kommune, caseId);
    } catch (err) {
      throw await answerFor(err, access, caseId, started);
    }
  }

  async function caseAccess(
    principal: Principal,
    kommune: string,
    caseId: string,
  ): Promise<KommuneAccess> {
    return deps.access(principal, kommune, { caseId });
  }

  /**
   * A command on an existing case by the signed-in person: membership checked first (a case not
   * theirs reads as missing), then the update with the principal as its actor.
   */
  async function actorCommand<
    I extends { actor: Actor; requestHash?: string; asMember?: string; kommune?: string },
  >(
    {
      principal,
      kommune,
      caseId,
      idempotencyKey,
    }: { principal: Principal; kommune: string; caseId: string; idempotencyKey?: string },
    update: UpdateDefinition<CommandAnswer, [I]>,
    fields: Omit<I, 'actor'>,
  ): Promise<CaseSnapshot> {
    const access = await caseAccess(principal, kommune, caseId);
    const input = { ...fields, actor: { id: principal.sub, role: principal.role } } as I;
    return runCommand(access, caseId, update, input, idempotencyKey);
  }

  /** A command counted for /metrics: accepted, or the error code its sender got. */
  const runCommand: typeof commitCommand = (access, caseId, update, input, idempotencyKey) =>
    counted(access.kommune, update.name, () =>
      commitCommand(access, caseId, update, input, idempotencyKey),
    );

  /**
   * Runs an event or a reopening. Who asks and for which kommune travel with the command: the
   * workflow's validator refuses a non-member, or a case recorded under another kommune, as not
   * found — one round trip, no read first. With an Idempotency-Key: one update id per key, and
   * the request's hash travels along and comes back in the answer, so a retry (even one whose
   * first run handed the case on) gets the first answer and a reused key a 409.
   */
  async function commitCommand<
    I extends { actor: Actor; requestHash?: string; asMember?: string; kommune?: string },
  >(
    access: KommuneAccess,
    caseId: string,
    update: UpdateDefinition<CommandAnswer, [I]>,
    input: I,
    idempotencyKey: string | undefined,
  ): Promise<CaseSnapshot> {
    const { kommune } = access;
    const requestHash = idempotencyKey ? shortHash(canonicalJson(input)) : undefined;
    const command: I = {
      ...input,
      asMember: memberToBe(access),
      kommune,
      ...(requestHash ? { requestHash } : {}),
    };
    const started = performance.now();
    let view: CommandAnswer;
    try {
      view = await withDeadline(() =>
        handle(kommune, caseId).executeUpdate(update, {
          args: [command],
          ...(idempotencyKey ? { updateId: `${update.name}-${shortHash(idempotencyKey)}` } : {}),
        }),
      );
    } catch (err) {
      throw await answerFor(err, access, caseId, started);
    }
    // A worker from before the echo answers without a hash: then a retry cannot be told apart.
    if (requestHash && view.requestHash !== undefined && view.requestHash !== requestHash) {
      throw new ApiError(
        'IDEMPOTENCY_KEY_REUSED',
        'this Idempotency-Key was already used on this case for a different request; nothing was done',
        'Denne Idempotency-Key er allerede brukt på saken til en annen forespørsel; ingenting ble gjort.',
        [
          {
            path: '/headers/idempotency-key',
            message: 'use a new key for a new request',
            nb: 'Bruk en ny nøkkel for en ny forespørsel.',
          },
        ],
      );
    }
    return toCaseSnapshot(await senderView(access, view));
  }

  return {
    async openCase(
      principal: Principal,
      kommune: string,
      body: OpenCaseBody,
      idempotencyKey?: string,
    ): Promise<CaseSnapshot> {
      const access = await deps.access(principal, kommune, 'kommune');
      const { config } = access;
      if (!config.intake.roles.includes(principal.role)) {
        throw new ApiError(
          'ROLE_NOT_ALLOWED',
          `role "${principal.role}" may not open cases; allowed: ${config.intake.roles.join(', ')}`,
          `Rollen «${config.roles[principal.role]?.title ?? principal.role}» kan ikke opprette saker. Det kan: ${config.intake.roles.map((r) => config.roles[r]?.title ?? r).join(', ')}.`,
        );
      }
      const request = { referralSource: body.referralSource, payload: body.payload ?? {} };
      return open(access, request, idempotencyKey, false);
    },

    /**
     * A family's own request for contact (`config.selfReferral`): the signed-in family member
     * opens a case in the self-referral step, with their answers as its payload and themselves
     * on its team. The engine checks that the role is a family role and the answers' shape.
     */
    async openSelfReferral(
      principal: Principal,
      kommune: string,
      answers: { answers: Record<string, string>; ageBand?: string; age?: number },
      idempotencyKey?: string,
    ): Promise<CaseSnapshot> {
      const access = await deps.access(principal, kommune, 'kommune');
      const self = access.config.selfReferral;
      if (!self) {
        throw new ApiError(
          'ROLE_NOT_ALLOWED',
          `kommune "${kommune}" takes no requests from families themselves`,
          'Kommunen tar ikke imot henvendelser direkte fra familier her.',
        );
      }
      return open(
        access,
        { referralSource: self.referralSource, payload: answers },
        idempotencyKey,
        true,
      );
    },

    async getCase(principal: Principal, kommune: string, caseId: string): Promise<CaseSnapshot> {
      const access = await caseAccess(principal, kommune, caseId);
      const snapshot = toCaseSnapshot(await readView(access, caseId));
      await recordRead(access, caseId, 'snapshot');
      return snapshot;
    },

    async sendEvent(
      principal: Principal,
      kommune: string,
      caseId: string,
      body: SendEventBody,
      idempotencyKey?: string,
    ): Promise<CaseSnapshot> {
      return actorCommand({ principal, kommune, caseId, idempotencyKey }, sendEventUpdate, {
        type: body.type,
        payload: body.payload ?? {},
        expectedRevision: body.expectedRevision,
      });
    },

    /**
     * What the event would do to the case now, decided by the engine on the case's own state and
     * config version exactly as the workflow decides it, with nothing sent: a batch's dry run.
     * A refusal is the ApiError sending it would answer. Only the holder's caseload limit is the
     * workflow's to check, so it shows when the event is sent.
     */
    async previewEvent(
      principal: Principal,
      kommune: string,
      caseId: string,
      body: { type: string; payload?: Record<string, unknown> },
    ): Promise<{ revision: number; fromStep: string; toStep: string; status: string }> {
      const access = await caseAccess(principal, kommune, caseId);
      const { state } = await readView(access, caseId);
      const result = applyEvent(
        await compiledFor(access, state.configVersion),
        state,
        {
          type: body.type,
          payload: body.payload ?? {},
          actor: { id: principal.sub, role: principal.role },
        },
        new Date().toISOString(),
      );
      if (!result.ok) throw rejectionToApiError(result.rejection);
      return {
        revision: state.revision,
        fromStep: state.step,
        toStep: result.state.step,
        status: result.state.status,
      };
    },

    async reopenCase(
      principal: Principal,
      kommune: string,
      caseId: string,
      body: ReopenBody,
      idempotencyKey?: string,
    ): Promise<CaseSnapshot> {
      return actorCommand({ principal, kommune, caseId, idempotencyKey }, reopenCaseUpdate, {
        payload: body.payload ?? {},
        expectedRevision: body.expectedRevision,
      });
    },

    /** Marks an open task of the case done; who may is the workflow's rule (workflows/case-delivery.ts). */
    async completeTask(
      principal: Principal,
      kommune: string,
      caseId: string,
      taskId: string,
      body: CompleteTaskBody,
      idempotencyKey?: string,
    ): Promise<CaseSnapshot> {
      return actorCommand({ principal, kommune, caseId, idempotencyKey }, completeTaskUpdate, {
        taskId,
        expectedRevision: body.expectedRevision,
      });
    },

    /**
     * A family member asks to reopen their closed case (machines/reopen-request.ts); the last
     * holder is told. Membership as for any command: a case not theirs reads as missing.
     */
    async requestReopen(
      principal: Principal,
      kommune: string,
      caseId: string,
      body: ReopenRequestBody,
      idempotencyKey?: string,
    ): Promise<CaseSnapshot> {
      return actorCommand({ principal, kommune, caseId, idempotencyKey }, requestReopenUpdate, {
        expectedRevision: body.expectedRevision,
      });
    },

    /** The holder (or another who may reopen) says no to the family's request. */
    async declineReopen(
      principal: Principal,
      kommune: string,
      caseId: string,
      body: ReopenRequestBody,
      idempotencyKey?: string,
    ): Promise<CaseSnapshot> {
      return actorCommand({ principal, kommune, caseId, idempotencyKey }, declineReopenUpdate, {
        expectedRevision: body.expectedRevision,
      });
    },

    async caseHistory(principal: Principal, kommune: string, caseId: string): Promise<CaseHistory> {
      const access = await caseAccess(principal, kommune, caseId);
      await readView(access, caseId);
      const entries = await readLogOf(access, caseId);
      await recordRead(access, caseId, 'history');
      return { caseId, entries: toHistoryEntries(entries) };
    },

    /**
     * The case and its whole log for a copy of it (#19), recorded as one read ("export"): what
     * the reader may see of the case, as its snapshot shows it, and every entry of its log.
     */
    async exportCase(
      principal: Principal,
      kommune: string,
      caseId: string,
    ): Promise<{ snapshot: CaseSnapshot; entries: HistoryEntry[]; access: KommuneAccess }> {
      const access = await caseAccess(principal, kommune, caseId);
      const snapshot = toCaseSnapshot(await readView(access, caseId));
      const entries = await readLogOf(access, caseId);
      await recordRead(access, caseId, 'export');
      return { snapshot, entries, access };
    },

    recordRead,

    /** For the live stream: the snapshot `role` sees, or null once the case is gone. */
    readSnapshot: async (access: KommuneAccess, caseId: string): Promise<CaseSnapshot> =>
      toCaseSnapshot(await readView(access, caseId)),
    caseAccess,
  };

  /**
   * Opens a case: checked first with the pure machine (a refused intake must not leave a
   * started workflow behind, and it saves a round trip), then update-with-start.
   */
  function open(...args: Parameters<typeof openUncounted>): ReturnType<typeof openUncounted> {
    return counted(args[0].kommune, openCaseUpdate.name, () => openUncounted(...args));
  }

  async function openUncounted(
    access: KommuneAccess,
    request: { referralSource: string; payload: unknown },
    idempotencyKey: string | undefined,
    selfReferral: boolean,
  ): Promise<CaseSnapshot> {
    const { config, version, kommune, principal } = access;
    const caseId = idempotencyKey ? caseIdFromKey(kommune, idempotencyKey) : randomCaseId();
    const actor = { id: principal.sub, role: principal.role };
    const flag = selfReferral ? { selfReferral: true } : {};
    const probe = tryOpenCase(compileKommune(config, version), {
      caseId,
      ...request,
      actor,
      now: new Date().toISOString(),
      ...flag,
    });
    if (!probe.ok) throw rejectionToApiError(probe.rejection);
    await deps.configReferences?.remember(kommune, version, config);

    try {
      const view = await withDeadline(() =>
        client.workflow.executeUpdateWithStart(openCaseUpdate, {
          args: [{ ...request, actor, ...flag }],
          updateId: `open-${shortHash(canonicalJson(request))}`,
          startWorkflowOperation: new WithStartWorkflowOperation(caseWorkflow, {
            workflowId: caseWorkflowId(kommune, caseId),
            taskQueue: deps.taskQueue,
            args: [
              {
                kommune,
                caseId,
                // Sent to Temporal as a reference to the published version (`configReferences`).
                config,
                configVersion: version,
                pseudonymKey,
                ...(deps.caseLogFlushMs !== undefined ? { logFlushMs: deps.caseLogFlushMs } : {}),
              },
            ],
            workflowIdConflictPolicy: 'USE_EXISTING',
            // A closed, archived case keeps its id: the same key must not open a new one.
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
          }),
        }),
      );
      return toCaseSnapshot(await senderView(access, view));
    } catch (err) {
      const alreadyOpened =
        err instanceof WorkflowExecutionAlreadyStartedError ||
        (err instanceof WorkflowUpdateFailedError &&
          err.cause instanceof ApplicationFailure &&
          err.cause.type === CaseFailures.alreadyOpened);
      if (alreadyOpened) return replayOpen(access, caseId, request);
      throw fromTemporalError(err, kommune, caseId);
    }
  }

  /**
   * The key already opened a case: the same request gets that case back, another request a 409.
   * Compared on what was asked (referral source and form), not on who asked; but only the one who
   * opened it, or someone who may see the case, gets the case back.
   */
  async function replayOpen(
    access: KommuneAccess,
    caseId: string,
    request: { referralSource: string; payload: unknown },
  ): Promise<CaseSnapshot> {
    const { kommune } = access;
    let view: CaseView | null;
    try {
      view = await withDeadline(() =>
        handle(kommune, caseId).query(
          viewQuery,
          access.principal.role,
          undefined,
          access.principal.sub,
        ),
      );
    } catch (err) {
      throw fromTemporalError(err, kommune, caseId);
    }
    const history = await readLog(kommune, caseId);
    const opened = history.find((e) => e.kind === 'opened');
    const member = memberToBe(access);
    const same =
      view !== null &&
      opened !== undefined &&
      canonicalJson({
        referralSource: view.state.referralSource,
        payload: opened.payload ?? {},
      }) === canonicalJson(request);
    const mayHaveIt =
      view !== null &&
      (member === undefined || member === opened?.actor.id || isCaseMember(view.state, member));
    if (!same || !view || !mayHaveIt) {
      throw new ApiError(
        'IDEMPOTENCY_KEY_REUSED',
        'this Idempotency-Key already opened a case with a different request',
        'Denne Idempotency-Key har allerede opprettet en sak med en annen forespørsel.',
        [
          {
            path: '/headers/idempotency-key',
            message: 'use a new key for a new case',
            nb: 'Bruk en ny nøkkel for en ny sak.',
          },
        ],
      );
    }
    return toCaseSnapshot(view);
  }
}
