import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import { searchAttributeRegistrations } from '../workflows/search-attributes';
import { SettingsError } from './temporal-settings';
import { temporalBinaries } from './tools';

export interface DevServerOptions {
  /** Path of the `temporal` CLI. */
  binary: string;
  ip: string;
  port: number;
  uiPort: number;
  ui: boolean;
  /** SQLite file; the folder is created. Omit for an in-memory server (tests). */
  dbFile?: string;
  namespace: string;
  searchAttributes: Record<string, string>;
  /** How long to wait for the frontend to answer. */
  readyTimeoutMs?: number;
}

export interface DevServer {
  address: string;
  process: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Rejects with a SettingsError naming `key` when nothing may listen on `port`. */
export async function assertPortFree(ip: string, port: number, key: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new SettingsError(
          err.code === 'EADDRINUSE'
            ? `${key}: port ${port} is already in use`
            : `${key}: cannot listen on ${ip}:${port}: ${err.message}`,
        ),
      ),
    );
    probe.listen(port, ip, () => probe.close(() => resolve()));
  });
}

/** The ports the kernel hands to `listen(0)` and to outgoing connections, [low, high]. */
export function ephemeralPortRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (low > 0 && high >= low) return [low, high];
  } catch {
    // not Linux: the range IANA recommends, which macOS and Windows use
  }
  return [49152, 65535];
}

/** Lowest port `freePort` picks: above the well-known services a machine runs. */
const LOWEST_PICKED_PORT = 10_000;

/**
 * A free TCP port on loopback for a server started a moment later (tests; the SDK's metrics
 * exporter). Picked below the kernel's ephemeral range: a port found with `listen(0)` can be
 * handed to another process's outgoing connection before its user binds it.
 */
export async function freePort(): Promise<number> {
  const [low] = ephemeralPortRange();
  for (let attempt = 0; low - LOWEST_PICKED_PORT >= 1000 && attempt < 50; attempt++) {
    const port = await tryBind(
      LOWEST_PICKED_PORT + Math.floor(Math.random() * (low - LOWEST_PICKED_PORT)),
    );
    if (port !== undefined) return port;
  }
  const any = await tryBind(0);
  if (any === undefined) throw new Error('no free TCP port on 127.0.0.1');
  return any;
}

/** Binds `port` on loopback and lets it go: the port bound, or undefined when that failed. */
async function tryBind(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(undefined));
    probe.listen(port, '127.0.0.1', () => {
      const bound = (probe.address() as AddressInfo).port;
      probe.close(() => resolve(bound));
    });
  });
}

/** How often a start is tried when it loses a port the CLI picked itself. */
const START_ATTEMPTS = 3;

/**
 * Starts `temporal server start-dev` and waits until its frontend answers. The SDK's own
 * launcher gives up after a few seconds, too short for a cold 2-core machine.
 *
 * The CLI picks free ports of its own (HTTP API, metrics, internal services) and binds them a
 * moment later; another process can take one in between. Such a start is tried again. A taken
 * port the caller chose is the caller's error and fails at once.
 */
export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(opts);
    } catch (err) {
      const port = portInUse((err as Error).message);
      const ours = port === opts.port || (opts.ui && port === opts.uiPort);
      if (attempt >= START_ATTEMPTS || port === undefined || ours) throw err;
    }
  }
}

/** The port a failed bind names in the server's "listen tcp IP:PORT: bind: address already in use". */
export function portInUse(message: string): number | undefined {
  const match = /listen tcp \S*:(\d+): bind: address already in use/.exec(message);
  return match ? Number(match[1]) : undefined;
}

async function launch(opts: DevServerOptions): Promise<DevServer> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    opts.ip,
    '--port',
    String(opts.port),
    '--namespace',
    opts.namespace,
    '--log-level',
    'error',
  ];
  if (opts.ui) args.push('--ui-port', String(opts.uiPort));
  else args.push('--headless');
  if (opts.dbFile) {
    mkdirSync(dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile);
  }
  for (const [name, type] of Object.entries(opts.searchAttributes)) {
    args.push('--search-attribute', `${name}=${type}`);
  }
  const child = spawn(opts.binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(-1));
  });
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const address = `${opts.ip}:${opts.port}`;
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (hasExited) {
      // The first line that says what went wrong, not the last frame of a Go stack trace.
      const lines = stderr.trim().split('\n');
      const reason =
        lines.find((l) => /address already in use/i.test(l)) ??
        lines.find((l) => /panic|error|fatal/i.test(l)) ??
        lines.pop() ??
        '';
      throw new Error(`temporal dev server exited during start-up: ${reason.trim()}`);
    }
    if (await answers(address)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`temporal dev server did not answer on ${address} within the start-up time`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  return {
    address,
    process: child,
    exited,
    async stop() {
      if (hasExited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function answers(address: string): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 1000 });
    await connection.withDeadline(Date.now() + 1000, () =>
      connection!.workflowService.getSystemInfo({}),
    );
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

/**
 * A headless dev server on a free loopback port, for tests and benchmarks (in memory, or in
 * `dbFile` when a benchmark measures its SQLite file). A port
 * found free can be taken by another process before the server binds it (tests run in parallel),
 * so a server that dies during start-up is tried again on a new port.
 */
export async function startEphemeralDevServer(attempts = 3, dbFile?: string): Promise<DevServer> {
  const binary = temporalBinaries().temporal;
  if (!binary) throw new Error('temporal CLI missing: run `npm run bootstrap -- --test`');
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDevServer({
        binary,
        ip: '127.0.0.1',
        port: await freePort(),
        uiPort: 0,
        ui: false,
        namespace: 'default',
        searchAttributes: searchAttributeRegistrations,
        dbFile,
      });
    } catch (err) {
      if (attempt >= attempts || !/exited during start-up/.test((err as Error).message)) throw err;
    }
  }
}
