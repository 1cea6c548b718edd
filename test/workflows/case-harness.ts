/**
 * Runs real case workflows for tests: a real Temporal server (time-skipping or dev), a real
 * worker with real activities writing to a temporary outbox and archive (sealed with keys kept
 * in the temporary data folder, as `npm start` keeps them) and to the cases' logs in a real
 * database (PGlite in memory, or PostgreSQL when worker processes share it).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  WithStartWorkflowOperation,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, FileArchive, FileOutbox, type RetentionDeps } from '../../activities';
import type { KommuneConfig } from '../../config/types';
import type { Actor, Rejection } from '../../machines';
import { createSealer, loadKeyRing, type Sealer } from '../../runtime/key-ring';
import { CaseLog, openDatabase, type SqlDatabase } from '../../store';
import {
  caseWorkflow,
  historyQuery,
  openCaseUpdate,
  reopenCaseUpdate,
  sendEventUpdate,
  viewQuery,
  type CaseView,
  type CommandAnswer,
  type HistoryEntry,
} from '../../workflows';
import { caseWorkflowId } from '../../workflows/search-attributes';
import { randomCaseId } from '../../server/case-ids';
import { loadSeed } from '../machines/support';
import { startTimeSkippingEnv, workflowBundle } from '../support/temporal';
import { memoryDatabase } from '../support/memory-database';

export interface HarnessOptions {
  /** The data folder (outbox, archive, keys); default a fresh temporary one. */
  dataDir?: string;
  /** Keep the cases' logs in this PostgreSQL database (shared with worker processes); default PGlite in memory. */
  databaseUrl?: string;
}

export class CaseHarness {
  readonly outbox: FileOutbox;
  readonly archive: FileArchive;
  readonly sealer: Sealer;
  readonly caseLog: CaseLog;
  readonly taskQueue = `cases-${Math.random().toString(36).slice(2)}`;
  /** The key of the pseudonyms cases publish for their holder and members, as the API gives it. */
  readonly pseudonymKey = randomBytes(32);
  /** Workflow id → its kommune and case id (a kommune id may hold `-`, so the id is not parsed). */
  private readonly cases = new Map<string, { kommune: string; caseId: string }>();

  static async create(client: Client, options: HarnessOptions = {}): Promise<CaseHarness> {
    const db = await openDatabase(
      options.databaseUrl ? { databaseUrl: options.databaseUrl } : memoryDatabase(),
    );
    return new CaseHarness(client, db, options.dataDir ?? mkdtempSync(join(tmpdir(), 'sluse-wf-')));
  }

  private constructor(
    readonly client: Client,
    readonly db: SqlDatabase,
    readonly dataDir: string,
  ) {
    this.sealer = createSealer(loadKeyRing(dataDir));
    this.outbox = new FileOutbox(join(dataDir, 'outbox'), this.sealer);
    this.archive = new FileArchive(join(dataDir, 'archive'), this.sealer);
    this.caseLog = new CaseLog(db, this.sealer);
  }

  close(): Promise<void> {
    return this.db.close();
  }

  async worker(
    connection: NativeConnection,
    countOpenCases = async () => 0,
    retention?: RetentionDeps,
  ): Promise<Worker> {
    return Worker.create({
      connection,
      namespace: this.client.options.namespace,
      taskQueue: this.taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createActivities({
        outbox: this.outbox,
        archive: this.archive,
        caseLog: this.caseLog,
        countOpenCases,
        retention,
        log: () => undefined,
      }),
    });
  }

  async open(
    kommune: string,
    opts: {
      referralSource: string;
      payload: unknown;
      actor: Actor;
      config?: KommuneConfig;
      historyLimit?: number;
      capacityRecheckMs?: number;
      caseId?: string;
    },
  ) {
    const caseId = opts.caseId ?? randomCaseId();
    this.cases.set(caseWorkflowId(kommune, caseId), { kommune, caseId });
    const config = opts.config ?? loadSeed(kommune);
    const view = await this.client.workflow.executeUpdateWithStart(openCaseUpdate, {
      args: [{ referralSource: opts.referralSource, payload: opts.payload, actor: opts.actor }],
      startWorkflowOperation: new WithStartWorkflowOperation(caseWorkflow, {
        workflowId: caseWorkflowId(kommune, caseId),
        taskQueue: this.taskQueue,
        args: [
          {
            kommune,
            caseId,
            config,
            configVersion: 1,
            historyLimit: opts.historyLimit,
            capacityRecheckMs: opts.capacityRecheckMs,
            pseudonymKey: this.pseudonymKey.toString('base64'),
          },
        ],
        workflowIdConflictPolicy: 'FAIL',
      }),
    });
    return {
      caseId,
      handle: this.client.workflow.getHandle<typeof caseWorkflow>(caseWorkflowId(kommune, caseId)),
      view,
    };
  }

  async view(handle: WorkflowHandle, role?: string): Promise<CaseView> {
    const v = await answeredOrAgain(() => handle.query(viewQuery, role));
    if (!v) throw new Error('case not opened');
    return v;
  }

  async send(
    handle: WorkflowHandle,
    type: string,
    actor: Actor,
    payload?: unknown,
  ): Promise<CommandAnswer> {
    const { state } = await this.view(handle);
    return this.update(handle, sendEventUpdate, {
      type,
      actor,
      payload,
      expectedRevision: state.revision,
    });
  }

  async reopen(handle: WorkflowHandle, actor: Actor, payload?: unknown): Promise<CommandAnswer> {
    const { state } = await this.view(handle);
    return this.update(handle, reopenCaseUpdate, {
      actor,
      payload,
      expectedRevision: state.revision,
    });
  }

  /**
   * Sends a command, once more if it goes unanswered (see {@link answeredOrAgain}). The second
   * send carries the same expected revision, so a first that did land is refused as stale, never
   * applied twice; then the case's view is the answer.
   */
  private update<A extends { expectedRevision: number }>(
    handle: WorkflowHandle,
    def: UpdateDefinition<CommandAnswer, [A]>,
    input: A,
  ): Promise<CommandAnswer> {
    const send = () => handle.executeUpdate(def, { args: [input] });
    return answeredOrAgain(send, async () => {
      try {
        return await send();
      } catch (error) {
        const view = await this.view(handle);
        if (view.state.revision > input.expectedRevision) return view;
        throw error;
      }
    });
  }

  /** The case's complete log, as the API reads it: the store's entries and the workflow's unwritten tail. */
  history(handle: WorkflowHandle): Promise<HistoryEntry[]> {
    const known = this.cases.get(handle.workflowId);
    if (!known) throw new Error(`${handle.workflowId} was not opened by this harness`);
    return this.caseLog.complete(known.kommune, known.caseId, () => handle.query(historyQuery));
  }

  async notifications(kommune: string, caseId: string) {
    return this.outbox.list(kommune, caseId);
  }
}

/** An ISO date (Oslo calendar day is close enough here) `days` after `ms`. */
export function dateAfter(ms: number, days: number): string {
  return new Date(ms + days * 86_400_000).toISOString().slice(0, 10);
}

export const DAY = 86_400_000;

/** The machine's rejection a command was refused with; fails the test if it was not refused. */
export async function rejectionOf(command: Promise<unknown>): Promise<Rejection> {
  const err = await command.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof WorkflowUpdateFailedError) || !(err.cause instanceof ApplicationFailure)) {
    throw new Error(`expected a rejected update, got ${String(err)}`);
  }
  return err.cause.details?.[0] as Rejection;
}

/** How long a query or command may go unanswered before the harness sends it again. */
const UNANSWERED_MS = 15_000;

/**
 * The call's answer, or the answer of `again` when the first goes unanswered or is cancelled by
 * the server: the time-skipping server now and then loses a query or update that arrives while
 * the run continues as new (the real server hands it to the new run), and the client would wait
 * for it forever; and a call handed to the poll of a worker a test has just killed comes back
 * CANCELLED ("context canceled") though a new worker would answer it.
 */
async function answeredOrAgain<T>(
  call: () => Promise<T>,
  again = call,
  cancelsLeft = 5,
): Promise<T> {
  const first = call();
  let timer: NodeJS.Timeout | undefined;
  const unanswered = new Promise<typeof UNANSWERED>((resolve) => {
    timer = setTimeout(() => resolve(UNANSWERED), UNANSWERED_MS);
  });
  const answer: T | typeof UNANSWERED | typeof CANCELLED = await Promise.race([first, unanswered])
    .catch((err: unknown): typeof CANCELLED => {
      // A killed worker may leave several polls behind: each can swallow one call.
      if (cancelledByServer(err) && cancelsLeft > 0) return CANCELLED;
      throw err;
    })
    .finally(() => clearTimeout(timer));
  if (answer === CANCELLED) return answeredOrAgain(again, again, cancelsLeft - 1);
  if (answer !== UNANSWERED) return answer;
  first.catch(() => undefined); // the lost call may end with the connection; nobody waits for it
  return again();
}
const CANCELLED = Symbol('cancelled');
const UNANSWERED = Symbol('unanswered');

/** gRPC CANCELLED from the server, on a query (its cause) or an update. */
function cancelledByServer(err: unknown): boolean {
  const GRPC_CANCELLED = 1;
  return (
    err instanceof WorkflowUpdateRPCTimeoutOrCancelledError ||
    (err as { cause?: { code?: unknown } } | null)?.cause?.code === GRPC_CANCELLED
  );
}

export interface TimeSkippingCases {
  env: TestWorkflowEnvironment;
  h: CaseHarness;
  /** Skips the server's clock forward to `iso` (at once, when it is already past). */
  sleepUntil(iso: string): Promise<void>;
}

/**
 * For a test file: a time-skipping server, a harness and a running worker, set up in beforeAll
 * and torn down in afterAll. Read `env` and `h` inside tests.
 */
export function timeSkippingCases(): TimeSkippingCases {
  const ctx = {
    async sleepUntil(iso: string) {
      await ctx.env.sleep(Math.max(0, Date.parse(iso) - (await ctx.env.currentTimeMs())));
    },
  } as TimeSkippingCases;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  beforeAll(async () => {
    ctx.env = await startTimeSkippingEnv();
    ctx.h = await CaseHarness.create(ctx.env.client);
    worker = await ctx.h.worker(ctx.env.nativeConnection);
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await ctx.h?.close();
    await ctx.env?.teardown();
  });
  return ctx;
}
