/**
 * `npm start` as a user runs it: a real dev server, worker and HTTP server on free ports with a
 * fresh data folder. Kills the dev server on purpose and checks the rest survives.
 *
 * The canary runs in the same `npm start` (a start costs a workflow bundle, most of a minute):
 * a unique name typed into every free-text field and id of a case walked from intake to its
 * archive. Afterwards it must not be found in clear anywhere the stack keeps data — the Temporal
 * database, the config store, archive and outbox files — nor in search attributes or the logs;
 * while the case's own history, read through the API with a token, shows it (so the canary
 * really went in).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { loadConfigDir } from '../../config';
import { freePort } from '../../runtime/dev-server';
import { encryptingDataConverter } from '../../runtime/payload-codec';
import { loadKeyRing } from '../../runtime/key-ring';
import { loadTemporalSettings, projectRoot } from '../../runtime/temporal-settings';
import { DEFAULT_AUDIENCE } from '../../server/auth-settings';
import { loadDevIssuer } from '../../server/dev-issuer';
import { caseWorkflow, openCaseUpdate, viewQuery } from '../../workflows';
import { caseWorkflowId, RETENTION_WORKFLOW_ID } from '../../workflows/search-attributes';
import { pidsMatching, spawnLogged, waitFor, type Started } from '../support/processes';

jest.setTimeout(300_000);

const dataDir = mkdtempSync(join(tmpdir(), 'sluse-start-'));
const configDir = mkdtempSync(join(tmpdir(), 'sluse-start-configs-'));
const dbFile = join(dataDir, 'temporal.sqlite');
let httpPort: number;
let temporalPort: number;
let yamlFile: string;
let running: Started | undefined;
/** Everything the stack started by `startHealthy` printed, whole (a Started keeps only its tail). */
let stackOutput = '';
/** An OpenTelemetry collector on this machine: the OTLP/HTTP JSON bodies posted to it. */
let collector: Server;
let collectorUrl: string;
const traceBodies: string[] = [];

interface OtlpSpan {
  service: string;
  name: string;
  traceId: string;
}

function spansReceived(): OtlpSpan[] {
  type Attr = { key: string; value: { stringValue?: string } };
  return traceBodies.flatMap((text) =>
    (
      JSON.parse(text) as {
        resourceSpans: {
          resource: { attributes: Attr[] };
          scopeSpans: { spans: { name: string; traceId: string }[] }[];
        }[];
      }
    ).resourceSpans.flatMap((r) =>
      r.scopeSpans.flatMap((s) =>
        s.spans.map((span) => ({
          service:
            r.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '',
          name: span.name,
          traceId: span.traceId,
        })),
      ),
    ),
  );
}

beforeAll(async () => {
  // The seeds, Øygarden's without its short way back, so the canary's case is archived as soon
  // as it closes.
  for (const file of readdirSync(join(projectRoot, 'config/kommuner'))) {
    const seed = JSON.parse(readFileSync(join(projectRoot, 'config/kommuner', file), 'utf8'));
    if (file === 'oygarden.json') delete seed.reopen;
    writeFileSync(join(configDir, file), JSON.stringify(seed));
  }
  [httpPort, temporalPort] = [await freePort(), await freePort()];
  collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces')
        traceBodies.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
  collectorUrl = `http://127.0.0.1:${(collector.address() as { port: number }).port}`;
  const uiPort = await freePort();
  yamlFile = join(dataDir, 'temporal.yaml');
  writeFileSync(
    yamlFile,
    readFileSync(join(projectRoot, 'temporal.yaml'), 'utf8')
      .replace('port: 7233', `port: ${temporalPort}`)
      .replace('uiPort: 8233', `uiPort: ${uiPort}`)
      .replace('dbFile: data/temporal/temporal.sqlite', `dbFile: ${dbFile}`),
  );
});

afterAll(async () => {
  if (running?.child.pid) {
    try {
      process.kill(-running.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    // Its output pipes would hold jest's worker open after the last test, also for a moment
    // after it has exited (a process it started may still hold them): stop reading them.
    await running.exited;
    running.child.stdout?.destroy();
    running.child.stderr?.destroy();
  }
  for (const pid of pidsMatching(dbFile)) process.kill(pid, 'SIGKILL');
  collector?.closeAllConnections();
  await new Promise((r) => collector?.close(r));
});

const METRICS_TOKEN = randomBytes(24).toString('hex');

function npmStart(env: NodeJS.ProcessEnv = {}): Started {
  return spawnLogged('npm', ['start', '--silent'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      PORT: String(httpPort),
      SLUSE_TEMPORAL_CONFIG: yamlFile,
      SLUSE_DATA_DIR: dataDir,
      SLUSE_CONFIG_DIR: configDir,
      LOG_LEVEL: 'warn',
      METRICS_TOKEN,
      ...env,
    },
  });
}

interface HealthBody {
  status: string;
  temporal: { reachable: boolean };
  worker: { polling: boolean };
}

async function health(): Promise<{ status: number; body: HealthBody }> {
  const res = await fetch(`http://127.0.0.1:${httpPort}/health`);
  return { status: res.status, body: (await res.json()) as HealthBody };
}

async function waitHealthy(started: Started): Promise<number> {
  const t0 = Date.now();
  await waitFor(
    () => `/health ok; output so far:\n${started.output()}`,
    async () => ((await health()).status === 200 ? true : undefined),
    // Bundling the workflows takes most of it: over a minute on two loaded cores.
    180_000,
  );
  return Date.now() - t0;
}

async function stop(started: Started): Promise<number | null> {
  process.kill(started.child.pid!, 'SIGTERM');
  return started.exited;
}

async function withClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
  try {
    // The same key npm start generated into its data folder: payloads are encrypted.
    return await fn(
      new Client({ connection, dataConverter: encryptingDataConverter(loadKeyRing(dataDir)) }),
    );
  } finally {
    await connection.close();
  }
}

/** `npm start` up and healthy as `running` (afterAll kills it whatever happens), with the time it took printed. */
async function startHealthy(what: string, env: NodeJS.ProcessEnv = {}): Promise<void> {
  // At the most verbose level, so the canary checks every line the stack can log.
  running = npmStart({ LOG_LEVEL: 'debug', ...env });
  const keep = (b: Buffer) => (stackOutput += b.toString());
  running.child.stdout?.on('data', keep);
  running.child.stderr?.on('data', keep);
  const ms = await waitHealthy(running);
  console.log(`npm start (${what}): /health ok after ${ms} ms`);
}

/** `git status --porcelain` of package-lock.json: empty when bootstrap left it as committed. */
function lockStatus(): string {
  return execFileSync('git', ['status', '--porcelain', '--', 'package-lock.json'], {
    cwd: projectRoot,
    encoding: 'utf8',
  });
}

const CANARY_KOMMUNE = 'oygarden';
// Letters and digits only, so it is a valid person id and survives every form unchanged.
const CANARY = `Kanari${randomBytes(6).toString('hex')}`;

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? filesUnder(path) : e.isFile() ? [path] : [];
  });
}

async function call(
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`http://127.0.0.1:${httpPort}/api/v1/kommuner/${CANARY_KOMMUNE}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined
        ? {}
        : {
            'Content-Type': 'application/json',
            'Idempotency-Key': randomBytes(12).toString('hex'),
          }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

// Each test stands alone (`-t` runs any one of them): beforeAll starts the system on an empty
// data folder and opens a case; a test that stops it leaves it started again, but for the
// canary, which stops it to read its files, and the restart test after it, which starts it.
describe('npm start', () => {
  const kommune = 'lorenskog';
  const caseId = 'start-test-1';
  const config = loadConfigDir().configs.get(kommune)!;
  let lockBefore: string;
  let opened: { step: string };

  beforeAll(async () => {
    lockBefore = lockStatus();
    await startHealthy('empty data folder');
    const view = await withClient((client) =>
      client.workflow.executeUpdateWithStart(openCaseUpdate, {
        args: [
          {
            referralSource: Object.keys(config.referralSources)[0],
            payload: minimalIntake(config),
            actor: { id: 'u1', role: config.intake.roles[0] },
          },
        ],
        startWorkflowOperation: new WithStartWorkflowOperation(caseWorkflow, {
          workflowId: caseWorkflowId(kommune, caseId),
          taskQueue: 'sluse-cases',
          args: [{ kommune, caseId, config, configVersion: 1 }],
          workflowIdConflictPolicy: 'FAIL',
        }),
      }),
    );
    opened = view.state;
  });

  test('when started on an empty data folder, then /health is ok, a case opened through Temporal runs, the namespace keeps closed cases for the retentionDays of temporal.yaml, the nightly retention sweep is waiting, and package-lock.json is left as committed', async () => {
    const { body } = await health();
    expect(body).toMatchObject({
      status: 'ok',
      temporal: { reachable: true },
      worker: { polling: true },
    });
    expect(opened.step).toBe(config.intake.step);
    expect((await fetch(`http://127.0.0.1:${httpPort}/health/ready`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${httpPort}/health/live`)).status).toBe(200);
    // Its bootstrap installs with `npm ci` semantics: the lock is never rewritten.
    expect(lockStatus()).toBe(lockBefore);
    // The namespace keeps closed cases as long as temporal.yaml says (the dev server's own default is shorter).
    const retention = await withClient(async (client) =>
      Number(
        (await client.workflowService.describeNamespace({ namespace: 'default' })).config
          ?.workflowExecutionRetentionTtl?.seconds,
      ),
    );
    expect(retention / 86_400).toBe(loadTemporalSettings(yamlFile).retentionDays);
    // The nightly deletion of closed cases past their config's retention waits for 02:00.
    const sweep = await withClient((client) =>
      waitFor(
        'the retention sweep to run',
        async () => {
          try {
            return await client.workflow.getHandle(RETENTION_WORKFLOW_ID).describe();
          } catch {
            return undefined;
          }
        },
        30_000,
      ),
    );
    expect(sweep.status.name).toBe('RUNNING');
  });

  test("when started with METRICS_TOKEN, then /metrics carries the worker's Temporal SDK series beside the case counts, and refuses a scraper without the token", async () => {
    const url = `http://127.0.0.1:${httpPort}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    const res = await fetch(url, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^temporal_worker_task_slots_available\{/m);
    expect(text).toMatch(/^temporal_num_pollers\{/m);
    expect(text).toMatch(
      new RegExp(`^sluse_open_cases\\{kommune="${kommune}",level="\\d"\\} \\d+`, 'm'),
    );
    expect(text).not.toContain(caseId);
  });

  test("when started with no HOST, then it listens on 127.0.0.1 only: the machine's other addresses get no answer", async () => {
    const outside = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal && a.family === 'IPv4')
      .map((a) => a!.address);
    if (outside.length === 0) console.log('no non-loopback IPv4 address on this machine to try');
    for (const address of outside) {
      await expect(fetch(`http://${address}:${httpPort}/health/live`)).rejects.toThrow();
    }
    expect((await fetch(`http://127.0.0.1:${httpPort}/health/live`)).status).toBe(200);
  });

  test('when the dev server is killed, then /health reports Temporal down without crashing, and recovers', async () => {
    const [pid] = pidsMatching(dbFile);
    expect(pid).toBeDefined();
    process.kill(pid, 'SIGKILL');
    const down = await waitFor(
      '/health to report Temporal down',
      async () => {
        const h = await health();
        return h.body.temporal.reachable === false ? h : undefined;
      },
      20_000,
    );
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('degraded');
    // Not ready, but alive: restarting the process would not bring Temporal back.
    expect((await fetch(`http://127.0.0.1:${httpPort}/health/ready`)).status).toBe(503);
    expect((await fetch(`http://127.0.0.1:${httpPort}/health/live`)).status).toBe(200);
    await waitHealthy(running!);
    expect((await health()).body.worker.polling).toBe(true);
  });

  test('when a unique name is typed into every free-text field and id of a case walked to its archive, then it is nowhere in clear at rest, in search attributes or in the logs', async () => {
    const issuer = await loadDevIssuer(dataDir);
    const sign = (role: string, sub: string) =>
      issuer.sign({ sub, kommune: CANARY_KOMMUNE, role, audience: DEFAULT_AUDIENCE });
    const worker = await sign('tjenesteyter', CANARY);
    const leader = await sign('leder', `${CANARY}-leder`);
    const date = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);

    const opened = await call(worker, 'POST', '/cases', {
      referralSource: 'barnehage',
      payload: { arena: 'barnehage', barnetsAlder: 7 },
    });
    expect(opened.status).toBe(201);
    const caseId: string = opened.body.caseId;
    // The engine moves the case too (a message no one could receive gives the holder a task,
    // a moment after the command that sent it): each command is sent against the case as it is
    // now, and sent again after a reload when the engine got there first, as a coordinator would.
    const send = async (token: string, type: string, payload: unknown) => {
      let res: Awaited<ReturnType<typeof call>> | undefined;
      for (let attempt = 0; attempt < 3 && (!res || res.status === 409); attempt++) {
        const { revision } = (await call(token, 'GET', `/cases/${caseId}`)).body;
        res = await call(token, 'POST', `/cases/${caseId}/events`, {
          type,
          payload,
          expectedRevision: revision,
        });
      }
      res = res!;
      expect({ type, status: res.status, body: res.status === 200 ? undefined : res.body }).toEqual(
        {
          type,
          status: 200,
          body: undefined,
        },
      );
      return res.body;
    };
    const allTrue = {
      atferdsendring: true,
      hoytFravaer: true,
      foresatteUnderPress: true,
      konflikterIHjemmet: true,
    };
    await send(worker, 'registrerVurdering', { risikofaktorer: allTrue });
    await send(worker, 'registrerAvklaringssamtale', {
      utfall: 'lavterskeltiltak',
      oppfolgingsdato: date,
      tiltak: [`${CANARY} tiltak i barnehagen`],
      samtaledukBrukt: true,
    });
    await send(worker, 'registrerOppfolgingssamtale', {
      bedring: 'delvis',
      nyOppfolgingsdato: date,
    });
    // Ids typed by people: the stafett goes to another person and back.
    await send(leader, 'byttStafettholder', { stafettholder: `${CANARY}-2` });
    await send(leader, 'byttStafettholder', { stafettholder: CANARY });
    const closed = await send(worker, 'registrerOppfolgingssamtale', { bedring: 'ja' });
    expect(closed.status).toBe('closed');

    // The canary really went in: the case's own history shows it to its holder.
    const history = await call(worker, 'GET', `/cases/${caseId}/history`);
    expect(history.status).toBe(200);
    expect(JSON.stringify(history.body)).toContain(CANARY);

    // The closed case is archived and its workflow completes.
    const connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
    try {
      const client = new Client({
        connection,
        dataConverter: encryptingDataConverter(loadKeyRing(dataDir)),
      });
      const execution = await waitFor(
        'the case workflow to complete after archiving',
        async () => {
          for await (const wf of client.workflow.list({
            query: `SluseKommune = '${CANARY_KOMMUNE}'`,
          })) {
            if (wf.status.name === 'COMPLETED') return wf;
          }
          return undefined;
        },
        60_000,
      );
      expect(JSON.stringify(execution.searchAttributes)).not.toContain(CANARY);
      expect(JSON.stringify(execution.memo ?? {})).not.toContain(CANARY);
    } finally {
      await connection.close();
    }

    // Stop the stack so every database file is flushed, then search every byte it left.
    expect(await stop(running!)).toBe(0);
    running = undefined;
    expect(stackOutput).not.toBe(''); // (the logs really were collected)
    expect(stackOutput).not.toContain(CANARY);

    const files = filesUnder(dataDir).filter((f) => !f.endsWith('temporal.yaml'));
    expect(files.some((f) => f.startsWith(dbFile))).toBe(true);
    const needles = [
      Buffer.from(CANARY, 'utf8'),
      Buffer.from(CANARY, 'utf16le'),
      Buffer.from(CANARY).toString('base64').slice(0, 12),
    ];
    const found = files.filter((file) => {
      const bytes = readFileSync(file);
      return needles.some((n) => bytes.includes(n));
    });
    expect(found).toEqual([]);
    // Whatever holds case data on disk is readable by its owner only.
    for (const file of files.filter((f) => /archive|outbox/.test(f)))
      expect(statSync(file).mode & 0o077).toBe(0);
  });

  test('when stopped with SIGTERM and started again, then it exits 0 leaving no dev server behind, and the case from before is still there', async () => {
    // The canary before it stops the stack with SIGTERM and checks the exit code itself.
    if (running) expect(await stop(running)).toBe(0);
    expect(pidsMatching(dbFile)).toEqual([]);
    // Tracing is off by default: the whole first run, cases opened and walked, sent no span.
    expect(traceBodies).toEqual([]);
    // From here on it is on, to the collector of this test (the drain test below reads it).
    await startHealthy('existing data', {
      SLUSE_TRACING: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl,
    });
    const view = await withClient((client) =>
      client.workflow.getHandle(caseWorkflowId(kommune, caseId)).query(viewQuery),
    );
    expect(view?.state.caseId).toBe(caseId);
  });

  test('when stopped with SIGTERM while a request is still being sent, then that request is answered, a new connection is refused, and it exits 0', async () => {
    if (!running) await startHealthy('for the drain');
    const stack = running!;
    const issuer = await loadDevIssuer(dataDir);
    const token = await issuer.sign({
      sub: 'tjenesteyter-drain',
      kommune: CANARY_KOMMUNE,
      role: 'tjenesteyter',
      audience: DEFAULT_AUDIENCE,
    });
    const body = JSON.stringify({
      referralSource: 'skole',
      payload: { arena: 'skole', barnetsAlder: 8 },
    });
    const { request } = await import('node:http');
    // A client on a slow line: the headers and part of the body are in when the stop comes.
    let send: (rest: string) => void = () => undefined;
    const answered = new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: httpPort,
          method: 'POST',
          path: `/api/v1/kommuner/${CANARY_KOMMUNE}/cases`,
          headers: {
            Authorization: `Bearer ${token}`,
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
            'Idempotency-Key': randomBytes(12).toString('hex'),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 20));
      send = (rest) => req.end(rest);
    });
    await new Promise((r) => setTimeout(r, 300));
    process.kill(stack.child.pid!, 'SIGTERM');
    // While it drains, a new connection is refused …
    const refused = () =>
      fetch(`http://127.0.0.1:${httpPort}/health/live`).then(
        () => undefined,
        () => true,
      );
    await waitFor('the listening socket closed', refused, 5_000);
    // … and the request in flight still gets its answer.
    send(body.slice(20));
    expect(await answered).toBe(201);
    expect(await stack.exited).toBe(0);
    running = undefined;

    // Traced (SLUSE_TRACING=otlp since the restart), flushed before it exited: the API's start of
    // the case and the workflow's handling of it (the worker's span, the workflow still runs) in
    // one trace, carried through Temporal's headers.
    const spans = spansReceived();
    const opened = spans.find((s) => s.name === 'UpdateWithStartWorkflow:openCase');
    expect(opened).toMatchObject({ service: 'sluse' });
    expect(spans.filter((s) => s.traceId === opened!.traceId).map((s) => s.name)).toEqual(
      expect.arrayContaining(['ValidateUpdate:openCase', 'HandleUpdate:openCase']),
    );
    // Ids and names only: no payload, no token.
    const sent = traceBodies.join('\n');
    expect(sent).not.toContain('barnetsAlder');
    expect(sent).not.toContain(token);
  });
});

describe('npm start with bad settings', () => {
  test('when the dev server port is taken, then npm start exits non-zero with one line naming the key', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const taken = (blocker.address() as { port: number }).port;
    const yaml = join(dataDir, 'taken.yaml');
    writeFileSync(
      yaml,
      readFileSync(yamlFile, 'utf8').replace(`port: ${temporalPort}`, `port: ${taken}`),
    );
    try {
      const started = npmStart({ SLUSE_TEMPORAL_CONFIG: yaml, PORT: String(await freePort()) });
      const code = await started.exited;
      expect(code).not.toBe(0);
      const lines = started
        .output()
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('sluse:'));
      expect(lines).toEqual([
        `sluse: temporal.yaml devServer.port: port ${taken} is already in use`,
      ]);
    } finally {
      blocker.close();
    }
  });

  test('when temporal.yaml has an unknown key, then npm start exits non-zero with one line naming it', async () => {
    const bad = join(dataDir, 'bad.yaml');
    writeFileSync(bad, readFileSync(yamlFile, 'utf8') + 'colour: blue\n');
    const started = npmStart({ SLUSE_TEMPORAL_CONFIG: bad });
    expect(await started.exited).not.toBe(0);
    expect(started.output()).toContain(`sluse: ${bad}: colour: unknown key`);
  });
});

/** The smallest intake payload the kommune's intake form accepts: its required fields. */
function minimalIntake(
  config: ReturnType<typeof loadConfigDir>['configs'] extends Map<string, infer C> ? C : never,
): Record<string, unknown> {
  const schema = (config.intake.payload ?? {}) as {
    required?: string[];
    properties?: Record<string, { type?: string; enum?: unknown[] }>;
  };
  const out: Record<string, unknown> = {};
  for (const key of schema.required ?? []) {
    const prop = schema.properties?.[key] ?? {};
    out[key] =
      prop.enum?.[0] ??
      (prop.type === 'number' || prop.type === 'integer'
        ? 1
        : prop.type === 'boolean'
          ? true
          : prop.type === 'array'
            ? []
            : 'x');
  }
  return out;
}
