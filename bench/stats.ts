/** Small helpers shared by the benchmark scripts. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export interface Measured {
  label: string;
  count: number;
  seconds: number;
  latencies: number[];
}

export function summarize(m: Measured) {
  const sorted = [...m.latencies].sort((a, b) => a - b);
  return {
    label: m.label,
    perSecond: m.count / m.seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

/** Runs `tasks` with at most `concurrency` in flight; returns each task's latency in ms. */
export async function runConcurrent(
  tasks: Array<() => Promise<unknown>>,
  concurrency: number,
): Promise<{ seconds: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < tasks.length) {
        const task = tasks[next++];
        const s = performance.now();
        await task();
        latencies.push(performance.now() - s);
      }
    }),
  );
  return { seconds: (performance.now() - t0) / 1000, latencies };
}

export function printTable(
  rows: ReturnType<typeof summarize>[],
  baseline: Record<string, string>,
): void {
  const byLabel = new Map(rows.map((r) => [r.label, r]));
  console.log('| measure | per second | p50 ms | p99 ms | ratio vs raw Temporal (throughput) |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of rows) {
    const base = baseline[r.label] ? byLabel.get(baseline[r.label]) : undefined;
    const ratio = base ? (r.perSecond / base.perSecond).toFixed(2) : '—';
    console.log(
      `| ${r.label} | ${r.perSecond.toFixed(1)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${ratio} |`,
    );
  }
}
