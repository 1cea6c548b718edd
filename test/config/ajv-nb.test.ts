/**
 * One bokmål for ajv's errors (config/ajv-nb.ts): a process owner validating a config and a
 * caseworker filling in a form read the same words for the same mistake, and neither meets
 * JSON Schema's English type names.
 */
import { validateConfig, type ConfigError, type JsonSchema } from '../../config';
import { checkPayload, createPayloadCompiler, formSchema } from '../../machines/payload-validation';
import { applyPatch, type PatchOp } from './helpers/apply-patch';
import { minimalConfig } from './helpers/fixtures';

const configErrors = (patch: PatchOp[]): ConfigError[] => {
  const result = validateConfig(applyPatch(minimalConfig(), patch));
  return result.ok ? [] : result.errors;
};

const fieldNb = (schema: JsonSchema, payload: unknown): string[] => {
  const check = checkPayload(createPayloadCompiler()(formSchema(schema)), payload);
  return check.ok ? [] : check.details.map((d) => d.nb);
};

describe('bokmål for ajv errors, shared by config checks and forms', () => {
  it('when a config gives a number where text belongs and a form gets a number for a text field, then both say «Må være tekst.»', () => {
    expect(configErrors([{ op: 'replace', path: '/roles/teacher/title', value: 5 }])).toEqual([
      expect.objectContaining({ code: 'SCHEMA_TYPE', nb: 'Må være tekst.' }),
    ]);
    expect(
      fieldNb(
        { type: 'object', properties: { notat: { type: 'string' } }, additionalProperties: false },
        { notat: 5 },
      ),
    ).toEqual(['Må være tekst.']);
  });

  it('when a form field that takes a number or nothing gets text, then the caseworker reads it in bokmål, not «number,null»', () => {
    expect(
      fieldNb(
        {
          type: 'object',
          properties: { poeng: { type: ['number', 'null'] } },
          additionalProperties: false,
        },
        { poeng: 'mange' },
      ),
    ).toEqual(['Må være et tall eller tom (null).']);
  });

  it('when a form gets too short a text, then the reason is ajv-i18n bokmål as a sentence', () => {
    expect(
      fieldNb(
        {
          type: 'object',
          properties: { kode: { type: 'string', minLength: 3 } },
          additionalProperties: false,
        },
        { kode: 'ab' },
      ),
    ).toEqual(['Kan ikke være kortere enn 3 tegn.']);
  });

  it('when a field a choice asks for is too long, then the caseworker reads the reason once, though the field is bounded both where it is declared and under the choice', () => {
    const form: JsonSchema = {
      type: 'object',
      properties: { utfall: { enum: ['team'] }, ansvarlig: { type: 'string' } },
      additionalProperties: false,
      allOf: [
        {
          if: { properties: { utfall: { const: 'team' } } },
          then: { properties: { ansvarlig: true }, required: ['ansvarlig'] },
        },
      ],
    };
    expect(fieldNb(form, { utfall: 'team', ansvarlig: 'x'.repeat(4001) })).toEqual([
      'Kan ikke være lengre enn 4000 tegn.',
    ]);
  });
});
