/**
 * The stafettlogg of long and heavy cases, on the time-skipping server and read through the API:
 * a five-year case with thousands of log entries, a case with large notes, and a case walked to
 * closing whose archive and outbox files are sealed. The log lives in the store; the workflow
 * carries only state through continue-as-new.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { KommuneConfig } from '../../config/types';
import type { Actor } from '../../machines';
import { createApp, type SluseApp } from '../../server/app';
import { DEFAULT_AUDIENCE, DEV_ISSUER } from '../../server/auth-settings';
import { randomCaseId } from '../../server/case-ids';
import { staticConfigSource } from '../../server/config-source';
import { loadDevIssuer } from '../../server/dev-issuer';
import { caseWorkflow, historyQuery, type HistoryEntry } from '../../workflows';
import { caseWorkflowId } from '../../workflows/search-attributes';
import { eventually, http } from '../server/api-stack';
import { DAY, timeSkippingCases } from './case-harness';

jest.setTimeout(300_000);

/**
 * Eighty meetings every four weeks: each fired timer is a log entry, so five years make 65 × 80
 * = 5,200 entries. Many timers a wake-up rather than few every week: the same entries in a
 * quarter of the workflow tasks the time-skipping server has to run through.
 */
const TIMERS = 80;
const EVERY_DAYS = 28;

/** One step with many recurring meetings and free-text notes. */
const longCase = {
  id: 'langsak',
  name: 'Langsak',
  description: 'A case that lives for years: many log entries from timers, and notes.',
  roles: { koordinator: { title: 'Koordinator' } },
  referralSources: { skole: { title: 'Skole' } },
  fields: { tekst: { type: 'string', title: 'Notat' } },
  intake: { step: 'oppfolging', roles: ['koordinator'] },
  steps: {
    oppfolging: {
      title: 'Oppfølging',
      level: 1,
      holderRole: 'koordinator',
      on: { notat: {}, avslutt: { target: 'avsluttet' } },
      timers: Array.from({ length: TIMERS }, (_, i) => ({
        id: `mote${i + 1}`,
        kind: 'recurring',
        every: `P${EVERY_DAYS / 7}W`,
        onExpiry: [],
      })),
    },
    avsluttet: {
      title: 'Avsluttet',
      level: 1,
      holderRole: 'koordinator',
      final: { outcome: 'closed', reason: 'Ferdig' },
    },
  },
  events: {
    notat: {
      title: 'Notat',
      roles: ['koordinator'],
      payload: {
        type: 'object',
        additionalProperties: false,
        required: ['tekst'],
        properties: { tekst: { type: 'string', maxLength: 20_000 } },
      },
    },
    avslutt: { title: 'Avslutt', roles: ['koordinator'] },
  },
} as unknown as KommuneConfig;

const testkommune = JSON.parse(
  readFileSync(join(__dirname, 'fixtures', 'testkommune.json'), 'utf8'),
) as KommuneConfig;

const t = timeSkippingCases();
let app: SluseApp;
let server: Server;
let base: string;

beforeAll(async () => {
  app = createApp({
    health: { client: t.env.client, namespace: 'default', workerState: () => 'RUNNING' },
    api: {
      client: t.env.client,
      taskQueue: t.h.taskQueue,
      configs: staticConfigSource(
        new Map([
          [longCase.id, longCase],
          [testkommune.id, testkommune],
        ]),
      ),
      caseLog: t.h.caseLog,
      auth: { kind: 'dev', issuer: DEV_ISSUER, audience: DEFAULT_AUDIENCE },
      dataDir: t.h.dataDir,
    },
  });
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  // The API's CPU pool keeps a worker thread; left open, it outlives the file in jest's worker.
  await app?.api?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

interface ApiEntry {
  seq: number;
  at: string;
  revision: number;
  kind: string;
  what: string;
  payload?: { tekst?: string };
}

/** The case's history as its holder reads it through the API. */
async function historyThroughApi(
  kommune: string,
  caseId: string,
  holder: Actor,
): Promise<ApiEntry[]> {
  const token = await (
    await loadDevIssuer(t.h.dataDir)
  ).sign({ sub: holder.id, kommune, role: holder.role, audience: DEFAULT_AUDIENCE });
  const res = await http<{ entries: ApiEntry[] }>(
    base,
    'GET',
    `/api/v1/kommuner/${kommune}/cases/${caseId}/history`,
    { token },
  );
  expect(res.status).toBe(200);
  return res.body.entries;
}

/**
 * Every run of a workflow, latest first, with the size of the input it started with: a run
 * started by continue-as-new names the one before, and its input is what that one carried.
 */
async function runsOf(workflowId: string): Promise<{ inputBytes: number }[]> {
  // A history with large notes is more than the default 4 MB gRPC message the test client takes.
  const connection = await Connection.connect({
    address: t.env.address,
    channelArgs: { 'grpc.max_receive_message_length': 256 * 1024 * 1024 },
  });
  try {
    const client = new Client({ connection });
    const runs = [];
    let runId: string | undefined = (await client.workflow.getHandle(workflowId).describe()).runId;
    while (runId) {
      const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
      const started: temporal.api.history.v1.IWorkflowExecutionStartedEventAttributes =
        history.events![0].workflowExecutionStartedEventAttributes!;
      const payloads = started.input?.payloads ?? [];
      runs.push({ inputBytes: payloads.reduce((sum, p) => sum + (p.data?.length ?? 0), 0) });
      runId = started.continuedExecutionRunId || undefined;
    }
    return runs;
  } finally {
    await connection.close();
  }
}

const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

test('when a case lives five years with thousands of log entries, then its history through the API is complete, each entry once and in order, across several continue-as-new', async () => {
  const holder: Actor = { id: 'k-langsak', role: 'koordinator' };
  const { caseId, handle } = await t.h.open('langsak', {
    referralSource: 'skole',
    payload: {},
    actor: holder,
    config: longCase,
    historyLimit: 120,
    caseId: randomCaseId(),
  });
  const notes: string[] = [];
  for (let year = 1; year <= 5; year++) {
    for (let i = 1; i <= 4; i++) {
      notes.push(`år ${year}, notat ${i}`);
      await t.h.send(handle, 'notat', holder, { tekst: notes.at(-1) });
    }
    await t.env.sleep(365 * DAY);
  }

  const entries = await historyThroughApi('langsak', caseId, holder);
  const { state } = await t.h.view(handle);
  const rounds = Math.floor((5 * 365) / EVERY_DAYS);
  expect(entries.length).toBeGreaterThanOrEqual(5000);
  expect(entries.map((e) => e.seq)).toEqual(oneToN(entries.length));
  // Every change of the case is there exactly once: one entry per revision (a handover rides on its revision).
  expect(entries.filter((e) => e.kind !== 'handover').map((e) => e.revision)).toEqual(
    oneToN(state.revision),
  );
  expect(entries.filter((e) => e.kind === 'timer')).toHaveLength(rounds * TIMERS);
  expect(entries.filter((e) => e.kind === 'event').map((e) => e.payload?.tekst)).toEqual(notes);
  const times = entries.map((e) => e.at);
  expect(times).toEqual([...times].sort());
  expect(Date.parse(times.at(-1)!) - Date.parse(times[0])).toBeGreaterThan(4.9 * 365 * DAY);

  const runs = await runsOf(handle.workflowId);
  expect(runs.length).toBeGreaterThanOrEqual(4);
  // The case is still running and answers commands.
  expect((await t.h.send(handle, 'notat', holder, { tekst: 'etter fem år' })).state.revision).toBe(
    state.revision + 1,
  );
});

test('when sixty events each carry a note of the largest size a form allows (20,000 characters, about 2.4 MB in all), sent back to back, then the case continues as new several times carrying only its state and unwritten tail, and every note reads back through the API', async () => {
  const holder: Actor = { id: 'k-notater', role: 'koordinator' };
  // Continue-as-new every few notes. (Also keeps each run's history small enough for the
  // time-skipping server, which does not page a history by size, to hand a whole run to a worker
  // that must replay it, within gRPC's 4 MB.)
  const { caseId, handle } = await t.h.open('langsak', {
    referralSource: 'skole',
    payload: {},
    actor: holder,
    config: longCase,
    historyLimit: 80,
    caseId: randomCaseId(),
  });
  // Two bytes a character in UTF-8 (æ, ø, å): the notes together are past Temporal's 2 MB.
  const notes = Array.from({ length: 60 }, (_, i) =>
    `notat ${String(i + 1).padStart(2, '0')}: ${'æøå'.repeat(6_660)}`.slice(0, 20_000),
  );
  for (const tekst of notes) await t.h.send(handle, 'notat', holder, { tekst });

  const runs = await runsOf(handle.workflowId);
  expect(runs.length).toBeGreaterThanOrEqual(3);
  // Each continued run started with the state, the config and at most one write's worth of log,
  // not with the notes' worth of log: far below Temporal's 2 MB.
  for (const run of runs.slice(0, -1)) expect(run.inputBytes).toBeLessThan(600 * 1024);

  const entries = await historyThroughApi('langsak', caseId, holder);
  expect(entries.map((e) => e.seq)).toEqual(oneToN(entries.length));
  expect(entries.filter((e) => e.kind === 'event').map((e) => e.payload?.tekst)).toEqual(notes);
  expect((await t.h.send(handle, 'notat', holder, { tekst: 'kort' })).state.revision).toBe(
    notes.length + 2,
  );
});

test('when a case with a name in its ids is walked to closing, then its archive, outbox and log rows hold no plaintext, the files are mode 0600, and they open back complete', async () => {
  const name = `Kari-Kanari-${randomBytes(4).toString('hex')}`;
  const koordinator: Actor = { id: 'k-1', role: 'koordinator' };
  const named: Actor = { id: name, role: 'koordinator' };
  const { caseId, handle } = await t.h.open('testkommune', {
    referralSource: 'skole',
    payload: {},
    actor: koordinator,
    config: testkommune,
    caseId: randomCaseId(),
  });
  await t.h.send(handle, 'byttKoordinator', koordinator, { ansvarlig: name });
  await t.h.send(handle, 'varsle', named);
  await t.h.send(handle, 'avslutt', named);
  // Closed with no way back: the workflow archives the case and ends.
  expect((await handle.result())?.status).toBe('closed');

  const files = ['outbox', 'archive'].flatMap((folder) =>
    readdirSync(join(t.h.dataDir, folder), { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => join(d.parentPath, d.name)),
  );
  expect(files.some((f) => f.includes(`${join('archive', 'testkommune')}`))).toBe(true);
  expect(files.some((f) => f.includes(`${join('outbox', 'testkommune')}`))).toBe(true);
  for (const file of files) {
    expect({ file, plaintext: readFileSync(file).includes(name) }).toEqual({
      file,
      plaintext: false,
    });
    expect({ file, mode: statSync(file).mode & 0o777 }).toEqual({ file, mode: 0o600 });
  }
  const rows = await t.h.db.query<{ entry: Uint8Array }>(
    'SELECT entry FROM case_log WHERE kommune = $1 AND case_id = $2',
    ['testkommune', caseId],
  );
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.filter((r) => Buffer.from(r.entry).includes(name))).toEqual([]);

  expect((await t.h.notifications('testkommune', caseId)).map((n) => n.toId)).toEqual([name]);
  const record = await t.h.archive.get('testkommune', caseId);
  expect(record?.state).toMatchObject({ status: 'closed', holder: { id: name } });
  const history = record!.history as ApiEntry[];
  expect(history.map((e) => e.seq)).toEqual(oneToN(history.length));
  expect(history.map((e) => e.kind).sort()).toEqual([
    'event',
    'event',
    'event',
    'handover',
    'handover',
    'notified',
    'opened',
  ]);
  const api = await historyThroughApi('testkommune', caseId, named);
  expect(api.map((e) => [e.seq, e.kind, e.what])).toEqual(
    history.map((e) => [e.seq, e.kind, e.what]),
  );
});

test('when a case from before the log moved to the store continues as new, then the whole log it carries is written to the store and reads back numbered in order', async () => {
  const koordinator: Actor = { id: 'k-1', role: 'koordinator' };
  const before = await t.h.open('testkommune', {
    referralSource: 'skole',
    payload: {},
    actor: koordinator,
    config: testkommune,
  });
  await t.h.send(before.handle, 'varsle', koordinator);
  const { state } = await t.h.view(before.handle);
  // What such a run carried: the whole log, entries without seq.
  const carriedLog = (await t.h.history(before.handle)).map(({ seq: _seq, ...entry }) => entry);

  const caseId = randomCaseId();
  const handle = await t.env.client.workflow.start(caseWorkflow, {
    workflowId: caseWorkflowId('testkommune', caseId),
    taskQueue: t.h.taskQueue,
    args: [
      {
        kommune: 'testkommune',
        caseId,
        config: testkommune,
        configVersion: 1,
        carried: { state, history: carriedLog as HistoryEntry[] },
      },
    ],
  });
  const stored = await eventually('the carried log in the store', async () => {
    const entries = await t.h.caseLog.read<HistoryEntry>('testkommune', caseId);
    return entries.length === carriedLog.length ? entries : undefined;
  });
  expect(stored).toEqual(carriedLog.map((entry, i) => ({ seq: i + 1, ...entry })));
  expect(await handle.query(historyQuery)).toEqual([]);
  await handle.terminate('test done');
});
