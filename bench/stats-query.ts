/**
 * How long `GET …/stats` spends in the store: fills a database with the case facts of many cases
 * (default 10,000, over three years) and times the statistics' queries for a year, unfiltered and
 * filtered, printing the median and 95th percentile over rounds.
 *
 * The embedded PGlite in memory by default; with `DATABASE_URL` a PostgreSQL server (the facts go
 * under a kommune id of their own and are deleted after). Run with
 * `npm run bench:stats [-- cases [rounds]]`.
 */
import { randomBytes } from 'node:crypto';
import type { CaseFact } from '../machines/case-facts';
import { CaseFacts, type FactFilter } from '../store/case-facts';
import { openDatabase } from '../store/open-database';
import { percentile } from './stats';

const cases = Number(process.argv[2] ?? 10_000);
const rounds = Number(process.argv[3] ?? 20);
const DAY = 86_400_000;
const STEPS = ['mottak', 'kartlegging', 'tiltak', 'oppfolging', 'avsluttet'] as const;
const LEVELS = [1, 1, 2, 3, 2];
const SOURCES = ['skole', 'nav', 'helsestasjon', 'barnehage', 'innbygger'];

/** A fixed sequence, so every run fills the same facts. */
function prng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

/** One case's log entries with their facts: opened, a walk through the steps, maybe closed. */
function caseEntries(i: number, start: number, rnd: () => number) {
  const entries: Array<{ seq: number; at: string; facts: CaseFact[] }> = [];
  let at = start + rnd() * 3 * 365 * DAY;
  const holder = `p-holder${Math.floor(rnd() * 50)}`;
  const add = (facts: CaseFact[]) =>
    entries.push({ seq: entries.length + 1, at: new Date(at).toISOString(), facts });
  add([
    { kind: 'opened', step: 'mottak', level: 1, value: SOURCES[i % SOURCES.length] },
    { kind: 'stepEntered', step: 'mottak', level: 1 },
    { kind: 'holderChanged', step: 'mottak', level: 1, value: holder, detail: 'veileder' },
    {
      kind: 'fieldSet',
      step: 'mottak',
      level: 1,
      detail: 'sakstype',
      value: rnd() < 0.5 ? 'a' : 'b',
    },
  ]);
  const stop = 1 + Math.floor(rnd() * (STEPS.length - 1));
  for (let s = 1; s <= stop; s++) {
    at += (1 + rnd() * 60) * DAY;
    const [from, to] = [STEPS[s - 1], STEPS[s]];
    const facts: CaseFact[] = [
      { kind: 'stepLeft', step: from, level: LEVELS[s - 1] },
      { kind: 'stepEntered', step: to, level: LEVELS[s] },
    ];
    if (LEVELS[s] !== LEVELS[s - 1])
      facts.push({
        kind: 'levelChanged',
        step: to,
        level: LEVELS[s],
        detail: String(LEVELS[s - 1]),
      });
    if (to === 'avsluttet')
      facts.push({ kind: 'closed', step: to, level: LEVELS[s], value: 'closed', detail: 'ferdig' });
    add(facts);
  }
  return entries;
}

async function main() {
  const db = await openDatabase(process.env.DATABASE_URL ? {} : { pgliteDir: 'memory' });
  const facts = new CaseFacts(db);
  const kommune = `bench-${randomBytes(4).toString('hex')}`;
  const start = Date.UTC(2024, 0, 1);
  const rnd = prng(7);
  try {
    const filled = performance.now();
    for (let i = 0; i < cases; i++)
      await facts.append(kommune, `c${i}`, caseEntries(i, start, rnd));
    const [{ n }] = await db.query<{ n: string }>(
      'SELECT count(*) AS n FROM case_facts WHERE kommune = $1',
      [kommune],
    );
    console.log(
      `${db.kind}: ${cases} cases, ${n} facts, filled in ${((performance.now() - filled) / 1000).toFixed(1)} s`,
    );
    const range = {
      from: new Date(Date.UTC(2025, 0, 1)).toISOString(),
      to: new Date(Date.UTC(2026, 0, 1)).toISOString(),
      asOf: new Date(Date.UTC(2026, 0, 1)).toISOString(),
    };
    const runs: Array<[string, FactFilter]> = [
      ['a year, no filter', {}],
      ['a year, level 2', { level: 2 }],
      ['a year, sakstype = a', { field: 'sakstype', value: 'a' }],
    ];
    for (const [label, filter] of runs) {
      await facts.figures(kommune, range, filter); // warm-up
      const ms: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const t = performance.now();
        await facts.figures(kommune, range, filter);
        ms.push(performance.now() - t);
      }
      ms.sort((a, b) => a - b);
      console.log(
        `${label}: median ${percentile(ms, 50).toFixed(1)} ms, p95 ${percentile(ms, 95).toFixed(1)} ms (${rounds} rounds)`,
      );
    }
  } finally {
    if (db.kind === 'postgres')
      await db.query('DELETE FROM case_facts WHERE kommune = $1', [kommune]);
    await db.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
