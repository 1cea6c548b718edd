import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { MINIMAL_FILE, REPO_ROOT } from './helpers/fixtures';

function runCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(
    join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
    ['scripts/validate-config.ts', ...args],
    {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, ...env },
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run config:validate', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sluse-cli-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('when a valid file is named, then it exits 0 with a one-line summary', () => {
    const file = relative(REPO_ROOT, MINIMAL_FILE);
    const { code, stdout, stderr } = runCli([file]);
    expect(stderr).toBe('');
    expect(stdout).toBe(`${file}: ok — Minimal kommune, 5 steps, 8 events, 6 timers, 2 roles\n`);
    expect(code).toBe(0);
  });

  it('when an invalid file is named, then it exits 1 and prints every error with its path and position', () => {
    const file = join(dir, 'minimal.json');
    writeFileSync(
      file,
      readFileSync(MINIMAL_FILE, 'utf8')
        .replace('"level": 1,', '"level": 9,')
        .replace('"target": "talk"', '"target": "tlak"'),
    );
    const { code, stdout, stderr } = runCli([MINIMAL_FILE, file]);
    expect(code).toBe(1);
    expect(stdout).toContain('minimal.json: ok');
    expect(stderr).toMatch(
      new RegExp(
        `^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: /steps/talk/level — 9 is not allowed; must be one of: 0, 1, 2, 3 \\(.+\\) \\[line \\d+, column \\d+\\]$`,
        'm',
      ),
    );
    expect(stderr).toContain('1 of 2 config files invalid');
  });

  it('when a file has a semantic error, then the hint is printed in parentheses', () => {
    const file = join(dir, 'minimal.json');
    writeFileSync(
      file,
      readFileSync(MINIMAL_FILE, 'utf8').replace('"target": "talk"', '"target": "tlak"'),
    );
    const { code, stderr } = runCli([file]);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `${file}: /steps/worry/on/ASSESS/0/target — unknown step "tlak" (did you mean "talk"?) [line `,
    );
  });

  it('when a file is nested 20,000 levels deep, then it exits 1 with the path and line where it gets too deep', () => {
    const file = join(dir, 'deep.json');
    writeFileSync(file, `{"id": "deep",\n "steps": ${'['.repeat(20_000)}${']'.repeat(20_000)}}`);
    const { code, stderr } = runCli([file]);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /deep\.json: \/steps(\/0)+ — too deep at line 2, column \d+: nested more than 256 levels deep/,
    );
    expect(stderr).not.toMatch(/RangeError|Maximum call stack/);
  });

  it('when no file is named, then every file in the config directory is checked', () => {
    const only = mkdtempSync(join(tmpdir(), 'sluse-cli-dir-'));
    try {
      writeFileSync(join(only, 'minimal.json'), readFileSync(MINIMAL_FILE, 'utf8'));
      writeFileSync(join(only, 'broken.json'), '{"id": "broken",}');
      const { code, stdout, stderr } = runCli([], { SLUSE_CONFIG_DIR: only });
      expect(code).toBe(1);
      expect(stdout).toMatch(/minimal\.json: ok — Minimal kommune/);
      expect(stderr).toMatch(
        /broken\.json: \/ — malformed JSON at line 1, column 17: trailing comma before "}" \[line 1, column 17\]/,
      );
    } finally {
      rmSync(only, { recursive: true, force: true });
    }
  });
});
