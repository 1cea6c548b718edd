import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTemporalSettings, projectRoot, SettingsError } from '../../runtime/temporal-settings';
import { searchAttributeRegistrations } from '../../workflows/search-attributes';

const shipped = readFileSync(join(projectRoot, 'temporal.yaml'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'sluse-settings-'));

function yamlFile(text: string): string {
  const file = join(dir, `t${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text);
  return file;
}

function errorOf(fn: () => unknown): SettingsError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SettingsError) return err;
    throw err;
  }
  throw new Error('expected a SettingsError');
}

describe('temporal.yaml', () => {
  test('when the shipped file is read with no env, then it runs the embedded dev server on 127.0.0.1:7233', () => {
    const s = loadTemporalSettings(join(projectRoot, 'temporal.yaml'), {});
    expect(s.external).toBe(false);
    expect(s.target).toBe('127.0.0.1:7233');
    expect(s.devServer.dbFile).toBe(join(projectRoot, 'data/temporal/temporal.sqlite'));
    expect(s.searchAttributes.SluseStep).toBe('Keyword');
  });

  test('when TEMPORAL_ADDRESS and friends are set, then they override the file and no dev server is used', () => {
    const s = loadTemporalSettings(join(projectRoot, 'temporal.yaml'), {
      TEMPORAL_ADDRESS: 'temporal.example:7233',
      TEMPORAL_NAMESPACE: 'sluse-prod',
      TEMPORAL_TASK_QUEUE: 'q2',
      TEMPORAL_API_KEY: 'k',
    });
    expect(s).toMatchObject({
      external: true,
      target: 'temporal.example:7233',
      namespace: 'sluse-prod',
      taskQueue: 'q2',
      tls: true,
    });
  });

  test('when the file has an unknown key, then the error names that key', () => {
    const err = errorOf(() =>
      loadTemporalSettings(
        yamlFile(shipped.replace('namespace: default', 'namespace: default\nnamspace: x')),
        {},
      ),
    );
    expect(err.message).toMatch(/namspace: unknown key/);
    expect(err.message.split('\n')).toHaveLength(1);
  });

  test('when a nested value has the wrong type, then the error names the dotted key and the expected type', () => {
    const err = errorOf(() =>
      loadTemporalSettings(yamlFile(shipped.replace('port: 7233', 'port: "seven"')), {}),
    );
    expect(err.message).toMatch(/devServer\.port: .*number/i);
  });

  test('when a search attribute has an unknown type, then the error names it', () => {
    const err = errorOf(() =>
      loadTemporalSettings(yamlFile(shipped.replace('SluseLevel: Int', 'SluseLevel: Integer')), {}),
    );
    expect(err.message).toMatch(/searchAttributes\.SluseLevel/);
  });

  test('when temporal.yaml lists search attributes other than those the engine writes, then the start stops naming each difference', () => {
    const drifted = shipped
      .replace(/\n  SluseLevel: Int/, '') // missing
      .replace('SluseStep: Keyword', 'SluseStep: Text') // another type
      .replace('SluseStatus: Keyword', 'SluseStatus: Keyword\n  SluseOld: Keyword'); // unknown to the engine
    const err = errorOf(() => loadTemporalSettings(yamlFile(drifted), {}));
    expect(err.message).toContain(
      'searchAttributes: not what the engine writes (workflows/search-attributes.ts)',
    );
    expect(err.message).toContain('SluseLevel is missing (the engine writes it as Int)');
    expect(err.message).toContain('SluseStep is Text here, but the engine writes it as Keyword');
    expect(err.message).toContain('SluseOld is not written by the engine');
    expect(err.message.split('\n')).toHaveLength(1);
  });

  test('the shipped temporal.yaml lists exactly the search attributes the engine writes', () => {
    expect(loadTemporalSettings(join(projectRoot, 'temporal.yaml'), {}).searchAttributes).toEqual(
      searchAttributeRegistrations,
    );
  });

  test('when only a TLS cert is given without its key, then it is refused', () => {
    const err = errorOf(() =>
      loadTemporalSettings(join(projectRoot, 'temporal.yaml'), { TEMPORAL_TLS_CERT: '/x.pem' }),
    );
    expect(err.message).toMatch(/TEMPORAL_TLS_KEY/);
  });
});
