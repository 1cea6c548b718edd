/**
 * The ajv instances Sluse uses. Both use the 2020-12 dialect and ajv-formats.
 * Config schema: fully strict, every error collected, `verbose` so messages can list the
 * properties a schema allows. Payload forms (written by process owners inside configs): strict
 * about unknown keywords, because a misspelt keyword silently weakens a form. Not `strictRequired`: it also rejects `"then": {"required": [...]}` naming a
 * property declared beside the `if`, a common and correct conditional form; `checkSchemas` checks
 * top-level `required` names instead. Not `strictTypes`: well-formed forms often leave types implicit.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

export function createConfigAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true, verbose: true, allowUnionTypes: true });
  addFormats(ajv);
  return ajv;
}

export function createPayloadAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    strict: true,
    strictRequired: false,
    strictTypes: false,
    strictTuples: false,
    allErrors: true,
    allowUnionTypes: true,
  });
  addFormats(ajv);
  return ajv;
}
