/**
 * The statistics from the store's case facts (#16): five cases scripted over three months on the
 * time-skipping server, then `GET …/stats` for a date range compared with the scripted history,
 * figure by figure, exactly; and the same answer from an API whose Temporal knows none of the
 * cases, as after the namespace's retention has dropped them.
 */
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import type { KommuneConfig } from '../../config/types';
import { pseudonym, type Actor, type CaseState } from '../../machines';
import { fromOsloLocal, parseDateOnly } from '../../machines/oslo-time';
import { createApp, type SluseApp } from '../../server/app';
import { DEFAULT_AUDIENCE, DEV_ISSUER } from '../../server/auth-settings';
import { staticConfigSource } from '../../server/config-source';
import { loadDevIssuer } from '../../server/dev-issuer';
import { http } from '../server/api-stack';
import { DAY, timeSkippingCases } from './case-harness';

jest.setTimeout(300_000);

const WITHDRAWN_REASON = '=1+1 familien trakk seg';

const statsConfig = {
  id: 'statistikk',
  name: 'Statistikk',
  description: 'Two working steps, a closing with a chosen reason and a withdrawal.',
  roles: {
    veiviser: { title: 'Veiviser' },
    koordinator: { title: 'Koordinator' },
    leder: { title: 'Leder', sees: 'kommune' },
  },
  referralSources: { skole: { title: 'Skole' }, nav: { title: 'NAV' } },
  fields: {
    sakstype: { type: 'string', enum: ['kort', 'lang'], title: 'Sakstype' },
    notat: { type: 'string', title: 'Notat' },
  },
  templates: { ny: { title: 'Ny sak', body: 'Du har fått sak {{saksnummer}}.' } },
  intake: { step: 'mottak', roles: ['veiviser'] },
  steps: {
    mottak: {
      title: 'Mottak',
      level: 1,
      holderRole: 'veiviser',
      on: {
        avklar: {
          target: 'oppfolging',
          effects: [
            { type: 'record', field: 'sakstype', value: { var: 'payload.sakstype' } },
            { type: 'handover', holderField: 'koordinator' },
            { type: 'notify', role: 'holder', template: 'ny' },
          ],
        },
        trekk: { target: 'trukket' },
      },
    },
    oppfolging: {
      title: 'Oppfølging',
      level: 2,
      holderRole: 'koordinator',
      on: { avslutt: { target: 'avsluttet' } },
      timers: [
        {
          id: 'frist',
          kind: 'deadline',
          title: 'Frist',
          after: 'P30D',
          onExpiry: [{ type: 'markOverdue' }],
        },
      ],
    },
    avsluttet: {
      title: 'Avsluttet',
      level: 2,
      holderRole: 'koordinator',
      final: { outcome: 'closed', reason: 'Ferdig', reasonField: 'arsak' },
    },
    trukket: {
      title: 'Trukket',
      level: 1,
      holderRole: 'veiviser',
      final: { outcome: 'withdrawn', reason: WITHDRAWN_REASON },
    },
  },
  events: {
    avklar: {
      title: 'Avklar',
      roles: ['veiviser'],
      payload: {
        type: 'object',
        additionalProperties: false,
        required: ['sakstype', 'koordinator'],
        properties: {
          sakstype: { type: 'string', enum: ['kort', 'lang'] },
          koordinator: { type: 'string' },
        },
      },
    },
    avslutt: {
      title: 'Avslutt',
      roles: ['koordinator'],
      payload: {
        type: 'object',
        additionalProperties: false,
        required: ['arsak'],
        properties: { arsak: { type: 'string', enum: ['mal_nadd', 'flyttet'] } },
      },
    },
    trekk: { title: 'Trekk', roles: ['veiviser'] },
  },
  reopen: { within: 'P6M', step: 'oppfolging', roles: ['koordinator'] },
} as unknown as KommuneConfig;
const otherKommune = { ...statsConfig, id: 'annenkommune', name: 'Annen' } as KommuneConfig;
const kommune = statsConfig.id;

const veiviser: Actor = { id: 'u-veiviser', role: 'veiviser' };
const k1: Actor = { id: 'k-1', role: 'koordinator' };
const k2: Actor = { id: 'k-2', role: 'koordinator' };

const t = timeSkippingCases();
const apps: Array<{ app: SluseApp; server: Server }> = [];

async function startApi(client: Client): Promise<string> {
  const app = createApp({
    health: { client, namespace: 'default', workerState: () => 'RUNNING' },
    api: {
      client,
      taskQueue: t.h.taskQueue,
      configs: staticConfigSource(
        new Map([
          [kommune, statsConfig],
          [otherKommune.id, otherKommune],
        ]),
      ),
      caseLog: t.h.caseLog,
      auth: { kind: 'dev', issuer: DEV_ISSUER, audience: DEFAULT_AUDIENCE },
      dataDir: t.h.dataDir,
      now: () => t.env.currentTimeMs(),
    },
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  apps.push({ app, server });
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

afterAll(async () => {
  for (const { app, server } of apps) {
    await app.api?.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

async function token(role: string, sub: string, forKommune = kommune): Promise<string> {
  const issuer = await loadDevIssuer(t.h.dataDir);
  return issuer.sign({ sub, kommune: forKommune, role, audience: DEFAULT_AUDIENCE });
}

// ── The script and what it says the figures are ─────────────────────────────────────────────

interface Scripted {
  referralSource: string;
  openedAt: string;
  /** Each step the case entered, with when (from the case's own answers). */
  entered: Array<{ step: string; at: string }>;
}
const scripted = new Map<string, Scripted>();

function track(name: string, state: CaseState): void {
  const s = scripted.get(name)!;
  const last = s.entered.at(-1);
  if (!last || last.step !== state.step || last.at !== state.stepEnteredAt)
    s.entered.push({ step: state.step, at: state.stepEnteredAt });
}

const osloDate = (ms: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo' }).format(new Date(ms));
const osloMonth = (iso: string) => osloDate(Date.parse(iso)).slice(0, 7);

/** PostgreSQL's percentile_cont: linear between the ranks around p·(n−1). */
function percentile(sorted: number[], p: number): number {
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  return sorted[lo] + (pos - lo) * ((sorted[Math.ceil(pos)] ?? sorted[lo]) - sorted[lo]);
}
async function waitFor(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const days = (ms: number) => Math.round((ms / DAY) * 100) / 100;

/** Time in step as the scripted history says, for visits that ended in [fromMs, toMs). */
function expectedTimeInStep(fromMs: number, toMs: number, names: string[]) {
  const visits = new Map<string, number[]>();
  const cases = new Set<string>();
  for (const name of names) {
    const { entered } = scripted.get(name)!;
    entered.forEach((e, i) => {
      const next = entered[i + 1];
      if (!next || Date.parse(next.at) < fromMs || Date.parse(next.at) >= toMs) return;
      visits.set(e.step, [...(visits.get(e.step) ?? []), Date.parse(next.at) - Date.parse(e.at)]);
      cases.add(name);
    });
  }
  const summary = (step: string) => {
    const ms = [...(visits.get(step) ?? [])].sort((a, b) => a - b);
    if (ms.length === 0)
      return { completedVisits: 0, medianDays: null, p90Days: null, meanDays: null };
    return {
      completedVisits: ms.length,
      medianDays: days(percentile(ms, 0.5)),
      p90Days: days(percentile(ms, 0.9)),
      meanDays: days(ms.reduce((a, b) => a + b, 0) / ms.length),
    };
  };
  return { cases: cases.size, mottak: summary('mottak'), oppfolging: summary('oppfolging') };
}

function expectedNewCases(names: string[]) {
  const counts = new Map<string, number>();
  for (const name of names) {
    const s = scripted.get(name)!;
    const key = `${osloMonth(s.openedAt)} ${s.referralSource}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, count]) => {
      const [month, referralSource] = key.split(' ');
      return { month, referralSource, count };
    });
}

// ── The test ────────────────────────────────────────────────────────────────────────────────

test('when five cases are opened, moved, closed, withdrawn and reopened over three months, then the statistics of a date range match that history exactly, also when Temporal no longer knows the cases', async () => {
  const t0 = await t.env.currentTimeMs();
  const at = (day: number) => t.sleepUntil(new Date(t0 + day * DAY).toISOString());
  const cases = new Map<string, Awaited<ReturnType<typeof t.h.open>>>();
  const open = async (name: string, referralSource: string) => {
    const opened = await t.h.open(kommune, {
      referralSource,
      payload: {},
      actor: veiviser,
      config: statsConfig,
    });
    cases.set(name, opened);
    const state = opened.view.state;
    scripted.set(name, { referralSource, openedAt: state.openedAt, entered: [] });
    track(name, state);
  };
  const send = async (name: string, type: string, actor: Actor, payload?: unknown) =>
    track(name, (await t.h.send(cases.get(name)!.handle, type, actor, payload)).state);

  await open('A', 'skole');
  await open('B', 'nav');
  await at(3);
  await send('A', 'avklar', veiviser, { sakstype: 'kort', koordinator: k1.id });
  await at(10);
  await send('B', 'trekk', veiviser);
  await at(35);
  await open('C', 'skole');
  await at(40);
  await send('A', 'avslutt', k1, { arsak: 'mal_nadd' });
  await at(47);
  await send('C', 'avklar', veiviser, { sakstype: 'lang', koordinator: k2.id });
  await at(60);
  await open('D', 'nav');
  await at(61);
  await send('D', 'avklar', veiviser, { sakstype: 'lang', koordinator: k2.id });
  await at(65);
  await send('C', 'avslutt', k2, { arsak: 'flyttet' });
  await at(70);
  track('C', (await t.h.reopen(cases.get('C')!.handle, k2)).state);
  await at(80);
  await open('E', 'skole');
  // D's deadline (30 days in oppfolging) fired at day 91 and marked it overdue; C's comes at day 100.
  await at(95);
  expect((await t.h.view(cases.get('D')!.handle)).state.overdue).toBe(true);
  // A quiet case writes what its log gathered within ten minutes: E's opening is in the store.
  const [quiet] = await t.h.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM case_facts WHERE kommune = $1 AND case_id = $2 AND kind = 'opened'",
    [kommune, cases.get('E')!.caseId],
  );
  expect(quiet.n).toBe(1);
  // After the range: everything closes, so every fact is in the store (open cases' facts are
  // written with their log, which a quiet case lets gather; see the README).
  await at(101);
  await send('C', 'avslutt', k2, { arsak: 'mal_nadd' });
  await send('D', 'avslutt', k2, { arsak: 'flyttet' });
  await send('E', 'trekk', veiviser);
  await waitFor(async () => {
    const [row] = await t.h.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM case_facts WHERE kommune = $1 AND kind = 'closed'",
      [kommune],
    );
    return row.n === 6;
  });

  const base = await startApi(t.env.client);
  const leader = await token('leder', 'l-1');
  const from = osloDate(t0);
  const to = osloDate(t0 + 95 * DAY);
  const fromMs = fromOsloLocal({ ...parseDateOnly(from)!, timeOfDay: 0 });
  const res = await http(base, 'GET', `/api/v1/kommuner/${kommune}/stats?from=${from}&to=${to}`, {
    token: leader,
  });
  expect(res.status).toBe(200);
  const asOf = Date.parse(res.body.asOf);
  expect(osloDate(asOf - 1)).toBe(to);
  expect(asOf).toBeLessThan(t0 + 100 * DAY);
  const all = ['A', 'B', 'C', 'D', 'E'];
  const time = expectedTimeInStep(fromMs, asOf, all);
  const p = (id: string) => pseudonym(t.h.pseudonymKey, id);
  expect(res.body).toEqual({
    kommune,
    asOf: res.body.asOf,
    range: { from, to },
    filter: {},
    totalCases: 5,
    newCasesPerMonth: expectedNewCases(all),
    openByLevelAndStep: [
      { level: 1, step: 'mottak', count: 1 },
      { level: 2, step: 'oppfolging', count: 2 },
    ],
    funnel: [
      { step: 'mottak', level: 1, entered: 5 },
      { step: 'oppfolging', level: 2, entered: 3 },
      { step: 'avsluttet', level: 2, entered: 2 },
      { step: 'trukket', level: 1, entered: 1 },
    ],
    timeInStep: {
      casesSampled: 4,
      casesTotal: 4,
      steps: [
        { step: 'mottak', ...time.mottak, ongoing: 1 },
        { step: 'oppfolging', ...time.oppfolging, ongoing: 2 },
      ],
    },
    overdue: { flagged: 1, pastDue: 0, byStep: [{ step: 'oppfolging', flagged: 1, pastDue: 0 }] },
    outcomes: [
      { outcome: 'closed', reason: 'flyttet', count: 1 },
      { outcome: 'closed', reason: 'mal_nadd', count: 1 },
      { outcome: 'withdrawn', reason: WITHDRAWN_REASON, count: 1 },
    ],
    reopened: 1,
    escalations: 0,
    // Each case sorted on to a koordinator told them so: A, C and D.
    messages: { delivered: 3, failed: 0 },
    caseloadPerHolder: [
      { holderPseudonym: p(k2.id), role: 'koordinator', openCases: 2, limit: null },
      { holderPseudonym: p(veiviser.id), role: 'veiviser', openCases: 1, limit: null },
    ],
    caseloadLimited: false,
    fieldValues: [
      { field: 'sakstype', value: 'kort', cases: 1 },
      { field: 'sakstype', value: 'lang', cases: 2 },
    ],
  });
  // The scripted days, in words: mottak took 3, 10, 12 and 1 days; oppfolging 37 and 18.
  expect(time.mottak).toMatchObject({ completedVisits: 4, medianDays: 6.5 });
  expect(time.oppfolging).toMatchObject({ completedVisits: 2, medianDays: 27.5, p90Days: 35.1 });

  // The facts are the statistics': a case's history shows none of them.
  const history = await http(
    base,
    'GET',
    `/api/v1/kommuner/${kommune}/cases/${cases.get('E')!.caseId}/history`,
    { token: leader },
  );
  expect(history.body.entries.length).toBeGreaterThan(2);
  expect(JSON.stringify(history.body)).not.toContain('"facts"');

  // A filter picks cases by where they stand at the end of the range.
  const lang = await http(
    base,
    'GET',
    `/api/v1/kommuner/${kommune}/stats?from=${from}&to=${to}&field=sakstype&value=lang`,
    { token: leader },
  );
  expect(lang.body.totalCases).toBe(2);
  expect(lang.body.newCasesPerMonth).toEqual(expectedNewCases(['C', 'D']));
  expect(lang.body.timeInStep.steps[0]).toEqual({
    step: 'mottak',
    ...expectedTimeInStep(fromMs, asOf, ['C', 'D']).mottak,
    ongoing: 0,
  });
  const level1 = await http(
    base,
    'GET',
    `/api/v1/kommuner/${kommune}/stats?from=${from}&to=${to}&level=1`,
    { token: leader },
  );
  expect(level1.body.totalCases).toBe(2); // B withdrawn at level 1, E in mottak
  expect(level1.body.openByLevelAndStep).toEqual([{ level: 1, step: 'mottak', count: 1 }]);

  // The first three weeks alone: A and B, A in oppfolging at their end.
  const early = await http(
    base,
    'GET',
    `/api/v1/kommuner/${kommune}/stats?from=${from}&to=${osloDate(t0 + 20 * DAY)}`,
    { token: leader },
  );
  expect(early.body).toMatchObject({
    totalCases: 2,
    openByLevelAndStep: [{ level: 2, step: 'oppfolging', count: 1 }],
    outcomes: [{ outcome: 'withdrawn', reason: WITHDRAWN_REASON, count: 1 }],
    reopened: 0,
    messages: { delivered: 1, failed: 0 },
    caseloadPerHolder: [
      { holderPseudonym: p(k1.id), role: 'koordinator', openCases: 1, limit: null },
    ],
    fieldValues: [{ field: 'sakstype', value: 'kort', cases: 1 }],
  });
  expect(early.body.timeInStep.steps[0]).toMatchObject({ step: 'mottak', completedVisits: 2 });

  // CSV: the same figures, as a download a spreadsheet cannot run.
  const csv = await fetch(`${base}/api/v1/kommuner/${kommune}/stats.csv?from=${from}&to=${to}`, {
    headers: { Authorization: `Bearer ${leader}` },
  });
  expect(csv.status).toBe(200);
  expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  expect(csv.headers.get('content-disposition')).toBe(
    `attachment; filename="statistikk-${kommune}-${from}-${to}.csv"`,
  );
  const lines = (await csv.text())
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n');
  expect(lines[0]).toBe('figure,key,key2,measure,value');
  expect(lines).toContain('totalCases,,,count,5');
  expect(lines).toContain('messages,,,delivered,3');
  expect(lines).toContain('open,2,oppfolging,count,2');
  expect(lines).toContain(`timeInStep,mottak,,medianDays,${time.mottak.medianDays}`);
  expect(lines).toContain(`outcome,withdrawn,'${WITHDRAWN_REASON},count,1`);
  expect(lines.some((l) => l.includes(',=') || l.startsWith('='))).toBe(false);

  // Another kommune's leader, and a role that sees only its own cases, read nothing.
  const otherLeader = await token('leder', 'l-9', otherKommune.id);
  expect(
    (await http(base, 'GET', `/api/v1/kommuner/${kommune}/stats`, { token: otherLeader })).status,
  ).toBe(403);
  const own = await token('koordinator', k2.id);
  expect(
    (await http(base, 'GET', `/api/v1/kommuner/${kommune}/stats`, { token: own })).status,
  ).toBe(403);
  expect(
    (
      await fetch(`${base}/api/v1/kommuner/${kommune}/stats.csv`, {
        headers: { Authorization: `Bearer ${own}` },
      })
    ).status,
  ).toBe(403);

  // A Temporal that knows none of these cases (nothing listens there): the same figures.
  const forgotten = new Client({ connection: Connection.lazy({ address: '127.0.0.1:9' }) });
  const base2 = await startApi(forgotten);
  const again = await http(
    base2,
    'GET',
    `/api/v1/kommuner/${kommune}/stats?from=${from}&to=${to}`,
    {
      token: leader,
    },
  );
  expect(again.status).toBe(200);
  expect(again.body).toEqual(res.body);
  // …and the whole history closed: every case closed or withdrawn, none open.
  const later = await http(
    base2,
    'GET',
    `/api/v1/kommuner/${kommune}/stats?from=${from}&to=${osloDate(t0 + 101 * DAY)}`,
    { token: leader },
  );
  expect(later.body.openByLevelAndStep).toEqual([]);
  expect(later.body.outcomes.reduce((n: number, o: { count: number }) => n + o.count, 0)).toBe(6);
});

test('when the range is malformed, reversed or longer than five years, then the answer is 400 with the reason in bokmål', async () => {
  const base = await startApi(t.env.client);
  const leader = await token('leder', 'l-1');
  const ask = (q: string) =>
    http(base, 'GET', `/api/v1/kommuner/${kommune}/stats?${q}`, { token: leader });
  const cases: Array<[string, string, string]> = [
    ['from=2026-02-30&to=2026-03-01', '/query/from', 'Ikke en gyldig dato.'],
    ['from=2026-03-02&to=2026-03-01', '/query/from', 'Fra-datoen er etter til-datoen.'],
    [
      'from=2020-01-01&to=2026-01-01',
      '/query/to',
      'Perioden er 2193 dager; den kan være høyst 5 år.',
    ],
    ['field=sakstype', '/query/value', 'Feltet og verdien må oppgis sammen.'],
  ];
  for (const [query, path, nb] of cases) {
    const res = await ask(query);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details).toEqual([expect.objectContaining({ path, nb })]);
  }
  const bad = await ask('from=1.1.2026');
  expect(bad.status).toBe(400);
  expect(bad.body.error.details[0].path).toBe('/query/from');
  // Five years to the day is allowed.
  expect((await ask('from=2021-01-02&to=2026-01-01')).status).toBe(200);
});
