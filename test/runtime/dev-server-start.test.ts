/**
 * Starting the embedded Temporal dev server when a port is taken. The CLI picks its HTTP API,
 * metrics and internal ports itself and binds them a moment later, so another process (a parallel
 * test, anything on the machine) can take one in between: `npm start` then failed for no fault of
 * the user's. A wrapper around the real CLI makes that collision happen on purpose: its first
 * start is told to use an HTTP port this test holds. Ports the tests pick themselves come from
 * below the kernel's ephemeral range, where no outgoing connection is handed one.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import {
  ephemeralPortRange,
  freePort,
  portInUse,
  startDevServer,
  type DevServer,
} from '../../runtime/dev-server';
import { temporalBinaries } from '../../runtime/tools';

let held: Server;
let heldPort: number;
let server: DevServer | undefined;
const dir = mkdtempSync(join(tmpdir(), 'sluse-dev-start-'));
const starts = join(dir, 'starts');

/** A `temporal` that counts its starts; the first one binds its HTTP API on the held port. */
function collidingCli(): string {
  const real = temporalBinaries().temporal;
  if (!real) throw new Error('temporal CLI missing: run `npm run bootstrap -- --test`');
  const file = join(dir, 'temporal');
  writeFileSync(
    file,
    [
      '#!/bin/sh',
      `echo start >> '${starts}'`,
      `if [ "$(wc -l < '${starts}')" -eq 1 ]; then exec '${real}' "$@" --http-port ${heldPort}; fi`,
      `exec '${real}' "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(file, 0o755);
  return file;
}

function startCount(): number {
  try {
    return readFileSync(starts, 'utf8').trim().split('\n').length;
  } catch {
    return 0;
  }
}

async function hold(): Promise<void> {
  held = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', resolve));
  heldPort = (held.address() as { port: number }).port;
}

beforeEach(async () => {
  writeFileSync(starts, '');
  await hold();
});

afterEach(async () => {
  await server?.stop();
  server = undefined;
  await new Promise((resolve) => held.close(resolve));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('when a port the Temporal CLI picked for itself is taken before it binds it, then the dev server, on a SQLite file as npm start runs it, is started again and answers', async () => {
  const port = await freePort();
  const dbFile = join(dir, 'data', 'temporal.sqlite');
  server = await startDevServer({
    dbFile,
    binary: collidingCli(),
    ip: '127.0.0.1',
    port,
    uiPort: 0,
    ui: false,
    namespace: 'default',
    searchAttributes: {},
  });
  expect(startCount()).toBe(2);
  expect(statSync(dbFile).size).toBeGreaterThan(0);
  const connection = await Connection.connect({ address: server.address });
  try {
    const info = await connection.workflowService.getSystemInfo({});
    expect(info.serverVersion).toBeTruthy();
  } finally {
    await connection.close();
  }
});

test('when the gRPC port the caller chose is taken, then the start fails at once and names that port', async () => {
  writeFileSync(starts, 'start\n'); // the wrapper adds no --http-port: only the chosen port collides
  const start = startDevServer({
    binary: collidingCli(),
    ip: '127.0.0.1',
    port: heldPort,
    uiPort: 0,
    ui: false,
    namespace: 'default',
    searchAttributes: {},
  });
  await expect(start).rejects.toThrow(`:${heldPort}: bind: address already in use`);
  expect(startCount()).toBe(2); // the pre-filled line and the one failed start: no retry
});

test('the port a failed bind names is read from the line the server prints', () => {
  expect(
    portInUse(
      'failed listening for HTTP API on 127.0.0.1:42917: listen tcp 127.0.0.1:42917: bind: address already in use',
    ),
  ).toBe(42917);
  expect(portInUse('listen tcp [::1]:7233: bind: address already in use')).toBe(7233);
  expect(portInUse('some other failure')).toBeUndefined();
});

test('a port picked for a server to start on lies below the range the kernel hands to outgoing connections, and nothing listens on it', async () => {
  const [low] = ephemeralPortRange();
  const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
  for (const port of ports) {
    expect(port).toBeLessThan(low);
    expect(port).toBeGreaterThanOrEqual(10_000);
  }
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(ports[0], '127.0.0.1', resolve));
  await new Promise((resolve) => probe.close(resolve));
});
