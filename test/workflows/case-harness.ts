/**
 * Runs real case workflows for tests: a real Temporal server (time-skipping or dev), a real
 * worker with real activities writing to a temporary outbox and archive.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WithStartWorkflowOperation, type Client, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, FileArchive, FileOutbox } from '../../activities';
import type { KommuneConfig } from '../../config/types';
import type { Actor } from '../../machines';
import {
  caseWorkflow,
  historyQuery,
  openCaseUpdate,
  reopenCaseUpdate,
  sendEventUpdate,
  viewQuery,
  type CaseView,
} from '../../workflows';
import { caseWorkflowId } from '../../workflows/search-attributes';
import { loadSeed } from '../machines/support';
import { startTimeSkippingEnv, workflowBundle } from '../support/temporal';

export class CaseHarness {
  readonly outbox: FileOutbox;
  readonly archive: FileArchive;
  readonly taskQueue = `cases-${Math.random().toString(36).slice(2)}`;
  /** The key of the pseudonyms cases publish for their holder and members, as the API gives it. */
  readonly pseudonymKey = randomBytes(32);
  private counter = 0;

  constructor(readonly client: Client, dataDir = mkdtempSync(join(tmpdir(), 'sluse-wf-'))) {
    this.outbox = new FileOutbox(join(dataDir, 'outbox'));
    this.archive = new FileArchive(join(dataDir, 'archive'));
  }

  async worker(connection: NativeConnection, countOpenCases = async () => 0): Promise<Worker> {
    return Worker.create({
      connection,
      taskQueue: this.taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createActivities({ outbox: this.outbox, archive: this.archive, countOpenCases, log: () => undefined }),
    });
  }

  async open(kommune: string, opts: { referralSource: string; payload: unknown; actor: Actor; config?: KommuneConfig; historyLimit?: number; capacityRecheckMs?: number; caseId?: string }) {
    const caseId = opts.caseId ?? `t${Date.now().toString(36)}${(this.counter++).toString(36)}`;
    const config = opts.config ?? loadSeed(kommune);
    const view = await this.client.workflow.executeUpdateWithStart(openCaseUpdate, {
      args: [{ referralSource: opts.referralSource, payload: opts.payload, actor: opts.actor }],
      startWorkflowOperation: new WithStartWorkflowOperation(caseWorkflow, {
        workflowId: caseWorkflowId(kommune, caseId),
        taskQueue: this.taskQueue,
        args: [{ kommune, caseId, config, configVersion: 1, historyLimit: opts.historyLimit, capacityRecheckMs: opts.capacityRecheckMs, pseudonymKey: this.pseudonymKey.toString('base64') }],
        workflowIdConflictPolicy: 'FAIL',
      }),
    });
    return { caseId, handle: this.client.workflow.getHandle<typeof caseWorkflow>(caseWorkflowId(kommune, caseId)), view };
  }

  async view(handle: WorkflowHandle, role?: string): Promise<CaseView> {
    const v = await handle.query(viewQuery, role);
    if (!v) throw new Error('case not opened');
    return v;
  }

  async send(handle: WorkflowHandle, type: string, actor: Actor, payload?: unknown): Promise<CaseView> {
    const { state } = await this.view(handle);
    return handle.executeUpdate(sendEventUpdate, { args: [{ type, actor, payload, expectedRevision: state.revision }] });
  }

  async reopen(handle: WorkflowHandle, actor: Actor, payload?: unknown): Promise<CaseView> {
    const { state } = await this.view(handle);
    return handle.executeUpdate(reopenCaseUpdate, { args: [{ actor, payload, expectedRevision: state.revision }] });
  }

  history(handle: WorkflowHandle) {
    return handle.query(historyQuery);
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

/**
 * For a test file: a time-skipping server, a harness and a running worker, set up in beforeAll
 * and torn down in afterAll. Read `env` and `h` inside tests.
 */
export function timeSkippingCases(): { env: TestWorkflowEnvironment; h: CaseHarness } {
  const ctx = {} as { env: TestWorkflowEnvironment; h: CaseHarness };
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  beforeAll(async () => {
    ctx.env = await startTimeSkippingEnv();
    ctx.h = new CaseHarness(ctx.env.client);
    worker = await ctx.h.worker(ctx.env.nativeConnection);
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await ctx.env?.teardown();
  });
  return ctx;
}
