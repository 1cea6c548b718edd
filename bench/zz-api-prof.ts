import './quiet';
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { operations, startStack } from './stack';
async function main() {
  const s = await startStack();
  const op = operations(s);
  const cases = await Promise.all(Array.from({ length: 8 }, () => op.apiOpen()));
  const run = async (n: number) => {
    let next = 0;
    await Promise.all(
      cases.map(async (c) => {
        while (next++ < n) await op.apiCommand(c, 'activity');
      }),
    );
  };
  await run(400);
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  const N = 2000;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await run(N);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const { profile } = await session.post('Profiler.stop');
  writeFileSync('/tmp/apiprof/main.cpuprofile', JSON.stringify(profile));
  console.log(
    `${N} API commands in ${ms.toFixed(0)} ms: ${((N / ms) * 1000).toFixed(1)}/s; process CPU ${((cpu.user + cpu.system) / 1000 / N).toFixed(2)} ms per command`,
  );
  await s.stop();
}
main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
