/**
 * The stack the benchmarks measure, as `npm start` wires it, in this one process: a dev server,
 * the case worker (preloaded bundle, cache sized from the heap), the HTTP API on a free port with
 * development tokens, plus a worker for the raw no-op workflow on its own task queue of the same
 * server, the baseline every figure is compared with.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
} from '@temporalio/worker';
import { loadConfigDir } from '../config';
import type { KommuneConfig } from '../config/types';
import { bundlerLogger } from '../runtime/bundler-logger';
import { startEphemeralDevServer, type DevServer } from '../runtime/dev-server';
import { ConfigReferences } from '../runtime/config-references';
import { createSealer, loadKeyRing } from '../runtime/key-ring';
import { createCaseWorker, workflowBundleOptions } from '../runtime/worker';
import { createApp } from '../server/app';
import { DEFAULT_AUDIENCE, DEV_ISSUER } from '../server/auth-settings';
import { staticConfigSource } from '../server/config-source';
import { loadDevIssuer } from '../server/dev-issuer';
import { caseIdFromKey, randomCaseId } from '../server/case-ids';
import { CaseLog, openDatabase } from '../store';
import { caseWorkflow } from '../workflows/case-workflow';
import {
  openCaseUpdate,
  sendEventUpdate,
  type CommandAnswer,
  type SendEventInput,
} from '../workflows/case-messages';
import { caseWorkflowId } from '../workflows/search-attributes';
import { floorActivities } from './floor-activities';
import {
  floorCommandUpdate,
  floorWorkflow,
  noopOpenUpdate,
  noopUpdate,
  noopWorkflow,
  type FloorPart,
} from './noop-workflow';

export const KOMMUNE = 'lorenskog';
const CASES_QUEUE = 'bench-cases';
const NOOP_QUEUE = 'bench-noop';
/** Far above the no-op runs any bench keeps busy at once (`bench` drives at most a few hundred). */
const NOOP_CACHE = 1000;
const INTAKE = { referralSource: 'innbygger', payload: { henvendelsesgjelder: 'barn' } };
/** Two veivisere who hand each case back and forth: a veiviser sees only the cases she holds. */
export const VEIVISERE = ['bench-a', 'bench-b'] as const;

export interface Stack {
  dev: DevServer;
  client: Client;
  /** Base URL of the kommune's cases in the API. */
  casesUrl: string;
  /**
   * A bare `node:http` server that only parses a JSON command and sends it as the client does
   * (no express, token, validation or access check): the floor under the API's commands.
   */
  bareUrl: string;
  config: KommuneConfig;
  tokens: Record<string, string>;
  /** A token that sees the whole kommune (lists of every case). */
  leaderToken: string;
  caseWorker: Worker;
  stop(): Promise<void>;
}

export async function startStack(opts: { sqliteFile?: string } = {}): Promise<Stack> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const dataDir = mkdtempSync(join(tmpdir(), 'sluse-bench-'));
  // As `npm start` has them: keys in the data folder, the cases' logs in PGlite.
  const sealer = createSealer(loadKeyRing(dataDir));
  // On disk as `npm start` has it: in memory, the store's growing data would count as the worker's.
  const db = await openDatabase({ databaseUrl: '', pgliteDir: join(dataDir, 'pglite') });
  const caseLog = new CaseLog(db, sealer);
  const dev = await startEphemeralDevServer(3, opts.sqliteFile);
  const configs = loadConfigDir().configs;
  // As `npm start` sends them: a case's config as a reference to its published version (here
  // the seed files, version 1), restored by the workers.
  const configReferences = new ConfigReferences(async (kommune, version) =>
    version === 1 ? configs.get(kommune) : undefined,
  );
  const dataConverter = { payloadCodecs: [configReferences] };
  const connection = await Connection.connect({ address: dev.address });
  const client = new Client({ connection, dataConverter });
  const native = await NativeConnection.connect({ address: dev.address });
  const caseWorker = await createCaseWorker({
    connection: native,
    client,
    namespace: 'default',
    taskQueue: CASES_QUEUE,
    dataDir,
    sealer,
    caseLog,
    workflowBundle: await bundleWorkflowCode({ ...workflowBundleOptions, logger: bundlerLogger }),
    dataConverter,
  });
  const noopWorker = await Worker.create({
    connection: native,
    taskQueue: NOOP_QUEUE,
    // Each no-op run is touched once: a small cache keeps them out of the process's memory,
    // which bench:scale reads as the case worker's.
    maxCachedWorkflows: NOOP_CACHE,
    activities: floorActivities,
    dataConverter,
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: require.resolve('./noop-workflow'),
      logger: bundlerLogger,
    }),
  });
  const running = Promise.all([caseWorker.run(), noopWorker.run()]);
  await configReferences.remember(KOMMUNE, 1, configs.get(KOMMUNE)!);
  const app = createApp({
    health: { client, namespace: 'default', workerState: () => caseWorker.getState() },
    api: {
      client,
      taskQueue: CASES_QUEUE,
      configs: staticConfigSource(configs),
      caseLog,
      configReferences,
      auth: { kind: 'dev', issuer: DEV_ISSUER, audience: DEFAULT_AUDIENCE },
      dataDir,
      options: { rateLimit: { limit: 100_000_000, windowMs: 60_000 } },
    },
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const bare = await listenBare((body) => forwardCommand(client, body));
  const issuer = await loadDevIssuer(dataDir);
  const sign = (sub: string, role: string) =>
    issuer.sign({ sub, kommune: KOMMUNE, role, audience: DEFAULT_AUDIENCE });
  const tokens: Record<string, string> = {};
  for (const v of VEIVISERE) tokens[v] = await sign(v, 'veiviser');
  return {
    dev,
    client,
    casesUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1/kommuner/${KOMMUNE}/cases`,
    bareUrl: `http://127.0.0.1:${(bare.address() as { port: number }).port}/`,
    config: configs.get(KOMMUNE)!,
    tokens,
    leaderToken: await sign('bench-leder', 'leder'),
    caseWorker,
    async stop() {
      await app.api?.close();
      server.closeAllConnections();
      server.close();
      bare.closeAllConnections();
      bare.close();
      caseWorker.shutdown();
      noopWorker.shutdown();
      await running;
      await native.close();
      await connection.close();
      await dev.stop();
      await db.close();
    },
  };
}

/** A `node:http` server on a free port answering each POSTed JSON body with `handle`'s result. */
async function listenBare(handle: (body: unknown) => Promise<unknown>): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      // Through a promise, so a body that is not JSON is a 500, not a crash of the benchmark.
      Promise.resolve()
        .then(() => handle(JSON.parse(Buffer.concat(chunks).toString('utf8'))))
        .then(
          (answer) => {
            res.setHeader('Content-Type', 'application/json');
            res.end(JSON.stringify(answer));
          },
          (err: unknown) => {
            res.statusCode = 500;
            res.end(String(err));
          },
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** The bare server's one route: a case command sent as the API sends it, answered with the revision. */
async function forwardCommand(client: Client, body: unknown): Promise<{ revision: number }> {
  const { id, command } = body as { id: string; command: SendEventInput };
  const view = await client.workflow
    .getHandle(caseWorkflowId(KOMMUNE, id))
    .executeUpdate(sendEventUpdate, { args: [command] });
  return { revision: view.state.revision };
}

/** A case someone works on: its id, revision and who holds it now. */
export interface BenchCase {
  id: string;
  revision: number;
  /** Set once an `activity` command has moved it out of intake. */
  inVeivisersak?: boolean;
  holder: string;
}

const json = (token: string) => ({
  Authorization: `Bearer ${token}`,
  'Content-Type': 'application/json',
});

async function ok<T>(res: Response): Promise<T> {
  if (res.status < 200 || res.status > 299) throw new HttpError(res.status, await res.text());
  return (await res.json()) as T;
}

export class HttpError extends Error {
  /** For a failed open: the case its Idempotency-Key names, to read what Temporal did with it. */
  caseId?: string;
  constructor(
    readonly status: number,
    body: string,
  ) {
    super(`HTTP ${status}: ${body.slice(0, 200)}`);
  }
}

/**
 * What a measured command does: `activity` records a contact in the veivisersak, as most of a
 * coordinator's commands do (nothing a list shows changes, beyond the hour of last activity);
 * `handover` gives the case to the other veiviser, which every list shows (holder, members).
 */
export type CommandKind = 'activity' | 'handover';

/** The event of one command of `kind`, and who holds the case after it. */
function commandEvent(kase: BenchCase, kind: CommandKind) {
  if (kind === 'activity') {
    // The first command moves a case from intake into the veivisersak, where activities go.
    if (!kase.inVeivisersak) {
      kase.inVeivisersak = true;
      return {
        type: 'avklarSakstype',
        payload: { sakstype: 'langvarig_oppfolging' },
        holder: kase.holder,
      };
    }
    return { type: 'registrerAktivitet', payload: { aktivitet: 'kontakt' }, holder: kase.holder };
  }
  const to = VEIVISERE.find((v) => v !== kase.holder)!;
  return { type: 'byttVeiviser', payload: { ansvarlig: to }, holder: to };
}

/** The update's input for one command of `kind` by the case's holder, and who holds it after. */
function sendEventInput(kase: BenchCase, kind: CommandKind) {
  const { type, payload, holder } = commandEvent(kase, kind);
  const command: SendEventInput = {
    type,
    payload,
    actor: { id: kase.holder, role: 'veiviser' },
    expectedRevision: kase.revision,
  };
  return { command, holder };
}

/** The operations measured, each against Sluse or its raw no-op counterpart. */
export function operations(s: Stack) {
  return {
    /** Opens a case with the client, as the API does (update-with-start of the case workflow). */
    async sluseOpen(): Promise<BenchCase> {
      const id = randomCaseId();
      const view = await s.client.workflow.executeUpdateWithStart(openCaseUpdate, {
        args: [{ ...INTAKE, actor: { id: VEIVISERE[0], role: 'veiviser' } }],
        startWorkflowOperation: new WithStartWorkflowOperation(caseWorkflow, {
          workflowId: caseWorkflowId(KOMMUNE, id),
          taskQueue: CASES_QUEUE,
          args: [{ kommune: KOMMUNE, caseId: id, config: s.config, configVersion: 1 }],
          workflowIdConflictPolicy: 'FAIL',
        }),
      });
      return { id, revision: view.state.revision, holder: VEIVISERE[0] };
    },
    /** One accepted command of `kind` on the case, sent as the API sends it (an update). */
    async sluseCommand(kase: BenchCase, kind: CommandKind): Promise<CommandAnswer> {
      const { command, holder } = sendEventInput(kase, kind);
      const view = await s.client.workflow
        .getHandle(caseWorkflowId(KOMMUNE, kase.id))
        .executeUpdate(sendEventUpdate, { args: [command] });
      Object.assign(kase, { revision: view.state.revision, holder });
      return view;
    },
    async rawOpen(): Promise<BenchCase> {
      const id = `noop-${randomCaseId()}`;
      const revision = await s.client.workflow.executeUpdateWithStart(noopOpenUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation(noopWorkflow, {
          workflowId: id,
          taskQueue: NOOP_QUEUE,
          workflowIdConflictPolicy: 'FAIL',
        }),
      });
      return { id, revision, holder: '' };
    },
    /** The floor under an opening (bench/noop-workflow.ts): its Temporal work, none of Sluse's code. */
    async floorOpen(without: FloorPart[] = [], answer?: CommandAnswer): Promise<BenchCase> {
      const id = randomCaseId();
      const revision = await s.client.workflow.executeUpdateWithStart(noopOpenUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation(floorWorkflow, {
          workflowId: `floor-${id}`,
          taskQueue: NOOP_QUEUE,
          args: [
            {
              ...(without.includes('config') ? {} : { config: s.config }),
              caseId: id,
              without,
              answer,
            },
          ],
          workflowIdConflictPolicy: 'FAIL',
        }),
      });
      return { id: `floor-${id}`, revision, holder: answer ? VEIVISERE[0] : '' };
    },
    /** A command's Temporal part on a floor opened with an answer: `sluseCommand` without Sluse. */
    async floorCommand(kase: BenchCase, kind: CommandKind): Promise<void> {
      const { command, holder } = sendEventInput(kase, kind);
      const view = await s.client.workflow
        .getHandle(kase.id)
        .executeUpdate(floorCommandUpdate, { args: [command] });
      Object.assign(kase, { revision: view.state.revision, holder });
    },
    async rawCommand(kase: BenchCase): Promise<void> {
      kase.revision = await s.client.workflow
        .getHandle(kase.id)
        .executeUpdate(noopUpdate, { args: [kase.revision] });
    },
    async apiOpen(): Promise<BenchCase> {
      const holder = VEIVISERE[0];
      const key = `bench-${randomCaseId()}`;
      const res = await fetch(s.casesUrl, {
        method: 'POST',
        headers: { ...json(s.tokens[holder]), 'Idempotency-Key': key },
        body: JSON.stringify(INTAKE),
      });
      const body = await ok<{ caseId: string; revision: number }>(res).catch((err: unknown) => {
        if (err instanceof HttpError) err.caseId = caseIdFromKey(KOMMUNE, key);
        throw err;
      });
      return { id: body.caseId, revision: body.revision, holder };
    },
    /** A command through the bare server: HTTP and JSON both ways, nothing of the API's. */
    async bareCommand(kase: BenchCase, kind: CommandKind): Promise<void> {
      const { command, holder } = sendEventInput(kase, kind);
      const body = await ok<{ revision: number }>(
        await fetch(s.bareUrl, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ id: kase.id, command }),
        }),
      );
      Object.assign(kase, { revision: body.revision, holder });
    },
    async apiCommand(kase: BenchCase, kind: CommandKind): Promise<void> {
      const { type, payload, holder } = commandEvent(kase, kind);
      const body = await ok<{ revision: number }>(
        await fetch(`${s.casesUrl}/${kase.id}/events`, {
          method: 'POST',
          headers: json(s.tokens[kase.holder]),
          body: JSON.stringify({ type, payload, expectedRevision: kase.revision }),
        }),
      );
      Object.assign(kase, { revision: body.revision, holder });
    },
  };
}

/** Peak resident memory of a process (VmHWM), in MiB; undefined where /proc is not there. */
export function peakRssMib(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}
