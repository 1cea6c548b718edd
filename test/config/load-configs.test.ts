import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfigDir, loadConfigDir, loadConfigFile } from '../../config';
import { MINIMAL_FILE, REPO_ROOT } from './helpers/fixtures';

describe('loading configs from files', () => {
  let dir: string;
  const minimalText = readFileSync(MINIMAL_FILE, 'utf8');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sluse-config-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('when a directory holds valid and invalid files, then valid ones load by id and invalid ones list their errors', () => {
    writeFileSync(join(dir, 'minimal.json'), minimalText);
    writeFileSync(join(dir, 'other.json'), minimalText);
    writeFileSync(join(dir, 'broken.json'), '{\n  "id": "broken",\n  "name": \n}');
    writeFileSync(join(dir, 'notes.txt'), 'not a config');

    const { configs, errors } = loadConfigDir(dir);

    expect([...configs.keys()]).toEqual(['minimal']);
    expect(errors).toEqual([
      {
        file: join(dir, 'broken.json'),
        errors: [
          {
            path: '',
            message: expect.stringContaining('malformed JSON at line 4, column 1'),
            code: 'JSON_SYNTAX',
            nb: 'Ugyldig JSON på linje 4, kolonne 1: forventet en verdi, men fant "}".',
            line: 4,
            column: 1,
          },
        ],
      },
      {
        file: join(dir, 'other.json'),
        errors: [
          expect.objectContaining({
            path: '/id',
            message: 'id "minimal" does not match the file name "other.json"',
          }),
        ],
      },
    ]);
  });

  it('when a config error is reported for a file, then it carries the line and column of its path', () => {
    const file = join(dir, 'minimal.json');
    writeFileSync(file, minimalText.replace('"level": 1,', '"level": 9,'));
    const result = loadConfigFile(file);
    const line = minimalText.split('\n').findIndex((l) => l.includes('"level": 1,')) + 1;
    expect(!result.ok && result.errors).toEqual([
      expect.objectContaining({ path: '/steps/talk/level', line, column: expect.any(Number) }),
    ]);
  });

  it('when a missing property is reported, then it points at the object that lacks it', () => {
    const file = join(dir, 'minimal.json');
    writeFileSync(file, minimalText.replace('"title": "Ressursteam",', ''));
    const result = loadConfigFile(file);
    const line = minimalText.split('\n').findIndex((l) => l.includes('"team": {')) + 1;
    expect(!result.ok && result.errors).toEqual([
      expect.objectContaining({ path: '/steps/team/title', line }),
    ]);
  });

  it('when a step id appears twice, then the second is reported even though the rest is valid', () => {
    const file = join(dir, 'minimal.json');
    const doubled = minimalText.replace(
      '"steps": {',
      '"steps": {\n    "closed": { "title": "x", "level": 0, "holderRole": "teacher" },',
    );
    writeFileSync(file, doubled);
    const result = loadConfigFile(file);
    expect(!result.ok && result.errors).toEqual([
      expect.objectContaining({
        path: '/steps/closed',
        message: expect.stringMatching(/^duplicate key "closed" \(first at line \d+, column 5\)$/),
      }),
    ]);
  });

  it('when the file does not exist, then the error says so', () => {
    const result = loadConfigFile(join(dir, 'nope.json'));
    expect(!result.ok && result.errors[0].message).toMatch(/^cannot read file/);
  });

  it('when the directory does not exist, then one error names it', () => {
    const missing = join(dir, 'missing');
    const { configs, errors } = loadConfigDir(missing);
    expect(configs.size).toBe(0);
    expect(errors).toEqual([
      {
        file: missing,
        errors: [
          expect.objectContaining({
            message: expect.stringMatching(/^cannot read config directory/),
          }),
        ],
      },
    ]);
  });

  it('when SLUSE_CONFIG_DIR is set, then it is the default directory; otherwise config/kommuner is', () => {
    const before = process.env.SLUSE_CONFIG_DIR;
    try {
      delete process.env.SLUSE_CONFIG_DIR;
      expect(defaultConfigDir()).toBe(join(REPO_ROOT, 'config', 'kommuner'));
      process.env.SLUSE_CONFIG_DIR = dir;
      writeFileSync(join(dir, 'minimal.json'), minimalText);
      expect([...loadConfigDir().configs.keys()]).toEqual(['minimal']);
    } finally {
      if (before === undefined) delete process.env.SLUSE_CONFIG_DIR;
      else process.env.SLUSE_CONFIG_DIR = before;
    }
  });
});
