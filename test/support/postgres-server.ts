/**
 * A throwaway PostgreSQL server for tests: a fresh cluster in a temp folder, on a free port,
 * stopped and deleted in afterAll. Debian's server binaries live under
 * /usr/lib/postgresql/<ver>/bin (`npm run bootstrap -- --test` installs them). PostgreSQL
 * refuses to run as root, so as root the cluster belongs to the `postgres` user.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../runtime/dev-server';
import { spawnLogged, waitFor, type Started } from './processes';

export interface TestPostgres {
  url: string;
  stop(): Promise<void>;
}

function postgresBinDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
    : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest)
    throw new Error(
      "PostgreSQL server binaries missing: run `npm run bootstrap -- --test` (installs Debian's postgresql)",
    );
  return join(base, newest, 'bin');
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'sluse-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  // The data folder must belong to the user the server runs as; mkdtemp makes it 0700.
  const uid = asRoot
    ? Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
    : undefined;
  const gid = asRoot
    ? Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
    : undefined;
  if (uid !== undefined && gid !== undefined) chownSync(dir, uid, gid);
  chmodSync(dir, 0o700);
  const as = (cmd: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];

  const [initCmd, initArgs] = as(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'sluse',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  execFileSync(initCmd, initArgs, { stdio: 'pipe' });
  const port = await freePort();
  const [cmd, args] = as(join(bin, 'postgres'), [
    '-D',
    data,
    '-p',
    String(port),
    '-h',
    '127.0.0.1',
    '-k',
    dir,
    '-c',
    'fsync=off',
  ]);
  const server: Started = spawnLogged(cmd, args, { cwd: dir, env: process.env });
  const url = `postgres://sluse@127.0.0.1:${port}/postgres`;
  try {
    await waitFor(
      'postgres to accept connections',
      async () => {
        const client = new Client({ connectionString: url });
        await client.connect();
        await client.end();
        return true;
      },
      30_000,
    );
  } catch (error) {
    server.child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${server.output()}`);
  }
  return {
    url,
    async stop() {
      // SIGINT is PostgreSQL's "fast shutdown": clients are cut off, no waiting for them.
      if (server.child.exitCode === null) process.kill(-server.child.pid!, 'SIGINT');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([server.exited, new Promise((r) => (timer = setTimeout(r, 10_000)))]);
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
