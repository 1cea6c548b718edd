/**
 * Every config error a process owner can meet has a stable code from the one table and a bokmål
 * text (#11): the whole broken-config corpus is run through validation, and the commonest
 * mistakes are pinned word for word.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigFile, validateConfig, validateConfigText, type ConfigError } from '../../config';
import { ConfigErrorCodes, isConfigErrorCode } from '../../config/config-error-codes';
import { applyPatch, type PatchOp } from './helpers/apply-patch';
import { BROKEN_DIR, minimalConfig } from './helpers/fixtures';

interface BrokenCase {
  name: string;
  patch?: PatchOp[];
  file?: string;
}

const manifest = JSON.parse(readFileSync(join(BROKEN_DIR, 'manifest.json'), 'utf8')) as {
  cases: BrokenCase[];
};

function errorsOf(c: BrokenCase): ConfigError[] {
  const result = c.file
    ? loadConfigFile(join(BROKEN_DIR, c.file))
    : validateConfig(applyPatch(minimalConfig(), c.patch ?? []));
  return result.ok ? [] : result.errors;
}

const errorsAfter = (patch: PatchOp[]): ConfigError[] => {
  const result = validateConfig(applyPatch(minimalConfig(), patch));
  return result.ok ? [] : result.errors;
};

describe('config error codes and bokmål', () => {
  it('when every broken config of the corpus is validated, then each error has a declared code and a bokmål text of its own', () => {
    const errors = manifest.cases.flatMap(errorsOf);
    expect(errors.length).toBeGreaterThanOrEqual(manifest.cases.length);
    for (const error of errors) {
      expect({ path: error.path, code: isConfigErrorCode(error.code) }).toEqual({
        path: error.path,
        code: true,
      });
      expect(error.nb.trim()).not.toBe('');
      expect(error.nb).not.toBe(error.message);
    }
  });

  it('every code is UPPER_SNAKE and means something in bokmål', () => {
    for (const [code, meaning] of Object.entries(ConfigErrorCodes)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(meaning).toMatch(/\S.*\.$/);
    }
  });

  it('when a deadline is written in words, then the schema error says so with INVALID_DURATION and how to write one', () => {
    expect(
      errorsAfter([{ op: 'replace', path: '/steps/worry/timers/0/after', value: '14 dager' }]),
    ).toEqual([
      expect.objectContaining({
        path: '/steps/worry/timers/0/after',
        code: 'INVALID_DURATION',
        nb: '"14 dager" er ikke en varighet. Skriv P<n>Y (år), P<n>M (måneder), P<n>W (uker), P<n>D (dager), PT<n>H (timer) eller PT<n>M (minutter), for eksempel P14D, P6M eller P1Y6M.',
      }),
    ]);
  });

  it('when a deadline is zero, then it is refused with ZERO_DURATION', () => {
    expect(
      errorsAfter([{ op: 'replace', path: '/steps/worry/timers/0/after', value: 'P0D' }]),
    ).toEqual([
      expect.objectContaining({
        code: 'ZERO_DURATION',
        nb: '«P0D» er null. En varighet må være lengre enn null.',
      }),
    ]);
  });

  it('when a gate has no branches, then the code is SCHEMA_ plus the failed keyword and the text is ajv-i18n bokmål', () => {
    expect(errorsAfter([{ op: 'replace', path: '/steps/worry/on/ASSESS', value: [] }])).toEqual([
      expect.objectContaining({
        path: '/steps/worry/on/ASSESS',
        code: 'SCHEMA_MIN_ITEMS',
        nb: 'Kan ikke ha færre enn 1 element.',
      }),
    ]);
  });

  it('when a transition names an undeclared event with no near spelling, then the bokmål lists the declared ones', () => {
    const errors = errorsAfter([
      { op: 'add', path: '/steps/talk/on/XYZZY', value: { target: 'closed' } },
    ]);
    expect(errors).toContainEqual(
      expect.objectContaining({
        path: '/steps/talk/on/XYZZY',
        code: 'UNKNOWN_EVENT',
        nb: expect.stringMatching(
          /^Det finnes ingen hendelse «XYZZY»\. Definerte hendelser \(«events»\): ASSESS, /,
        ),
      }),
    );
  });

  it('when a pasted draft has a trailing comma, then JSON_SYNTAX says where in bokmål', () => {
    const result = validateConfigText('{\n  "id": "x",\n}');
    expect(!result.ok && result.errors).toEqual([
      expect.objectContaining({
        code: 'JSON_SYNTAX',
        nb: 'Ugyldig JSON på linje 3, kolonne 1: overflødig komma foran "}".',
      }),
    ]);
  });
});
