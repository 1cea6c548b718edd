/**
 * A canary: a unique name typed into every free-text field and id of a case walked from intake
 * to its archive through the real `npm start`. Afterwards it must not be found in clear
 * anywhere the stack keeps data — the Temporal database, the config store, archive and outbox
 * files — nor in search attributes or the logs; while the case's own history, read through the
 * API with a token, shows it (so the canary really went in).
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Connection, Client } from '@temporalio/client';
import { freePort } from '../../runtime/dev-server';
import { projectRoot } from '../../runtime/temporal-settings';
import { encryptingDataConverter } from '../../runtime/payload-codec';
import { loadKeyRing } from '../../runtime/key-ring';
import { loadDevIssuer } from '../../server/dev-issuer';
import { DEFAULT_AUDIENCE } from '../../server/auth-settings';
import { pidsMatching, spawnLogged, waitFor, type Started } from '../support/processes';

jest.setTimeout(300_000);

const KOMMUNE = 'oygarden';
// Letters and digits only, so it is a valid person id and survives every form unchanged.
const CANARY = `Kanari${randomBytes(6).toString('hex')}`;

const dataDir = mkdtempSync(join(tmpdir(), 'sluse-canary-'));
const configDir = mkdtempSync(join(tmpdir(), 'sluse-canary-configs-'));
const dbFile = join(dataDir, 'temporal.sqlite');
let running: Started | undefined;
let baseUrl: string;
let temporalPort: number;

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? filesUnder(path) : e.isFile() ? [path] : [];
  });
}

beforeAll(async () => {
  // The seed without its short way back, so the case is archived as soon as it closes.
  const seed = JSON.parse(readFileSync(join(projectRoot, 'config/kommuner/oygarden.json'), 'utf8'));
  delete seed.reopen;
  writeFileSync(join(configDir, 'oygarden.json'), JSON.stringify(seed));
  const [httpPort, uiPort] = [await freePort(), await freePort()];
  temporalPort = await freePort();
  const yamlFile = join(dataDir, 'temporal.yaml');
  writeFileSync(
    yamlFile,
    readFileSync(join(projectRoot, 'temporal.yaml'), 'utf8')
      .replace('port: 7233', `port: ${temporalPort}`)
      .replace('uiPort: 8233', `uiPort: ${uiPort}`)
      .replace('dbFile: data/temporal/temporal.sqlite', `dbFile: ${dbFile}`),
  );
  baseUrl = `http://127.0.0.1:${httpPort}`;
  running = spawnLogged('npm', ['start', '--silent'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      PORT: String(httpPort),
      SLUSE_TEMPORAL_CONFIG: yamlFile,
      SLUSE_DATA_DIR: dataDir,
      SLUSE_CONFIG_DIR: configDir,
      LOG_LEVEL: 'debug',
    },
  });
  await waitFor(
    () => `/health ok; output so far:\n${running?.output() ?? ''}`,
    async () => ((await fetch(`${baseUrl}/health`)).status === 200 ? true : undefined),
    120_000,
  );
});

afterAll(async () => {
  if (running?.child.pid) {
    // npm may have exited already (a failed start): then only its group is left to stop.
    const alive = running.child.exitCode === null && running.child.signalCode === null;
    if (alive) process.kill(running.child.pid, 'SIGTERM');
    await Promise.race([running.exited, new Promise((r) => setTimeout(r, 20_000))]);
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
});

async function call(
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}/api/v1/kommuner/${KOMMUNE}${path}`, {
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

test('when a unique name is typed into every free-text field and id of a case walked to its archive, then it is nowhere in clear at rest, in search attributes or in the logs', async () => {
  const issuer = await loadDevIssuer(dataDir);
  const sign = (role: string, sub: string) =>
    issuer.sign({ sub, kommune: KOMMUNE, role, audience: DEFAULT_AUDIENCE });
  const worker = await sign('tjenesteyter', CANARY);
  const leader = await sign('leder', `${CANARY}-leder`);
  const date = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);

  const opened = await call(worker, 'POST', '/cases', {
    referralSource: 'barnehage',
    payload: { arena: 'barnehage', barnetsAlder: 7 },
  });
  expect(opened.status).toBe(201);
  const caseId: string = opened.body.caseId;
  let revision: number = opened.body.revision;
  const send = async (token: string, type: string, payload: unknown) => {
    const res = await call(token, 'POST', `/cases/${caseId}/events`, {
      type,
      payload,
      expectedRevision: revision,
    });
    expect({ type, status: res.status, body: res.status === 200 ? undefined : res.body }).toEqual({
      type,
      status: 200,
      body: undefined,
    });
    revision = res.body.revision;
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
  await send(worker, 'registrerOppfolgingssamtale', { bedring: 'delvis', nyOppfolgingsdato: date });
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
        for await (const wf of client.workflow.list({ query: `SluseKommune = '${KOMMUNE}'` })) {
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
  process.kill(running!.child.pid!, 'SIGTERM');
  expect(await running!.exited).toBe(0);
  const logs = running!.output();
  running = undefined;
  expect(logs).not.toContain(CANARY);

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
