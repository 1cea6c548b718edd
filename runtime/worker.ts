import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, FileArchive, FileOutbox } from '../activities';
import { pseudonym } from '../machines/pseudonym';
import type { CaseLog } from '../store/case-log';
import type { Sealer } from './key-ring';
import { caseSearchAttributes, caseWorkflowId, visibilityLiteral } from '../workflows/search-attributes';
import { loadKeyRing } from './key-ring';
import { logger } from './logger';

export const workflowsPath = require.resolve('../workflows');

export interface CaseWorkerOptions {
  connection: NativeConnection;
  client: Client;
  namespace: string;
  taskQueue: string;
  dataDir: string;
  /** Seals the outbox and archive files (see runtime/key-ring.ts). */
  sealer: Sealer;
  /** The cases' logs in the store; in one process with the API, the API's own (PGlite is single-process). */
  caseLog: CaseLog;
  /** A prebuilt bundle (tests build one per run); otherwise the worker bundles `workflows/`. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Encrypts payloads; must match the clients' (see runtime/payload-codec.ts). */
  dataConverter?: DataConverter;
  /** The pseudonym key cases are started with; by default the key ring's (see runtime/key-ring.ts). */
  pseudonymKey?: Uint8Array;
}

export function createCaseWorker(opts: CaseWorkerOptions): Promise<Worker> {
  const outbox = new FileOutbox(join(opts.dataDir, 'outbox'), opts.sealer);
  const archive = new FileArchive(join(opts.dataDir, 'archive'), opts.sealer);
  const pseudonymKey = opts.pseudonymKey ?? loadKeyRing(opts.dataDir).pseudonymKey;
  const activities = createActivities({
    outbox,
    archive,
    caseLog: opts.caseLog,
    async countOpenCases(kommune, holderId, exceptCaseId) {
      // Cases publish their holder as a pseudonym only.
      const q = [
        `${caseSearchAttributes.kommune.name} = ${visibilityLiteral(kommune)}`,
        `${caseSearchAttributes.holder.name} = ${visibilityLiteral(pseudonym(pseudonymKey, holderId))}`,
        `${caseSearchAttributes.status.name} = 'open'`,
        `ExecutionStatus = 'Running'`,
        `WorkflowId != ${visibilityLiteral(caseWorkflowId(kommune, exceptCaseId))}`,
      ].join(' AND ');
      const { count } = await opts.client.workflow.count(q);
      return count;
    },
    log: (message, fields) => logger.info(fields, message),
  });
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities,
    dataConverter: opts.dataConverter,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath }),
  });
}
