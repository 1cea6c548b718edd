/**
 * The ajv instances Sluse uses — the one factory for the validator (`config/`) and the engine
 * (`machines/payload-validation.ts`), so what validates is exactly what compiles. Pure: no Node
 * built-ins, because the engine runs it inside the Temporal workflow sandbox.
 *
 * Both use the 2020-12 dialect, ajv-formats, and RE2 for every `pattern` (see linear-regexp.ts).
 * Config schema: fully strict, every error collected, `verbose` so messages can list the
 * properties a schema allows. Payload forms (written by process owners inside configs): strict
 * about unknown keywords, because a misspelt keyword silently weakens a form. Not
 * `strictRequired`: it rejects `"then": {"required": [...]}` naming a property declared beside the
 * `if`, a common and correct conditional form; `checkSchemas` checks top-level `required` names
 * instead. Not `strictTypes`: well-formed forms often leave types implicit.
 */
import Ajv2020, { type Options, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { linearRegExpEngine } from './linear-regexp';

export function createConfigAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    strict: true,
    allErrors: true,
    verbose: true,
    allowUnionTypes: true,
    code: { regExp: linearRegExpEngine },
  });
  addFormats(ajv);
  return ajv;
}

/** The one option set for payload forms and case fields. */
const PAYLOAD_OPTIONS: Options = {
  strict: true,
  strictRequired: false,
  strictTypes: false,
  strictTuples: false,
  allErrors: true,
  allowUnionTypes: true,
  // Forms are compiled one by one and never referenced by `$id` from outside, so no registry:
  // two forms of a config may then carry the same `$id` in the engine as in the validator.
  addUsedSchema: false,
  // Ajv's pass over its generated code (dropping unused names) took a third of compiling a
  // kommune's forms; it changes no result, and V8 drops unused names itself.
  code: { regExp: linearRegExpEngine, optimize: false },
};

export interface PayloadAjvOptions {
  /**
   * JavaScript's backtracking RegExp instead of RE2. Only for workflows started before RE2
   * (their recorded histories must replay as they ran); never for anything new.
   */
  backtrackingRegExp?: boolean;
}

export function createPayloadAjv(options: PayloadAjvOptions = {}): Ajv2020 {
  const ajv = rawPayloadAjv(options);
  // Ajv checks every schema against the 2020-12 meta-schema, compiling that meta-schema anew in
  // each instance: most of a kommune's compile time, once per instance. One checker per process
  // compiles it once; ajv calls this method at the same point with the same result and message.
  ajv.validateSchema = (schema, throwOrLogError) => {
    const checker = metaSchemaChecker();
    const valid = checker.validateSchema(schema) as boolean;
    ajv.errors = checker.errors;
    if (!valid && throwOrLogError) throw new Error(`schema is invalid: ${ajv.errorsText()}`);
    return valid;
  };
  return ajv;
}

function rawPayloadAjv(options: PayloadAjvOptions): Ajv2020 {
  const ajv = new Ajv2020(
    options.backtrackingRegExp
      ? { ...PAYLOAD_OPTIONS, code: { optimize: false } }
      : PAYLOAD_OPTIONS,
  );
  addFormats(ajv);
  return ajv;
}

let checker: Ajv2020 | undefined;

/**
 * The process's one meta-schema check, with the payload options. The meta-schema's own patterns
 * are simple, so RE2 or not makes no difference to it. Holds nothing of the schemas it checks:
 * payload instances register no schemas (`addUsedSchema: false`), and neither does checking.
 */
function metaSchemaChecker(): Ajv2020 {
  checker ??= rawPayloadAjv({});
  return checker;
}

/**
 * At most this many validators are kept by their schema's text; the memo is emptied when full.
 * A live config has a dozen or two forms, and a new version mostly repeats its predecessor's.
 */
const MAX_COMPILED_SCHEMAS = 512;
const compiledByText = new Map<string, ValidateFunction>();

/**
 * Compiles payload schemas (forms, case fields) with `createPayloadAjv(options)`, each schema
 * text once per process: validating a config compiles every form, publishing it compiles them
 * again as the engine will, and each new config version repeats most forms of the last. A
 * validator depends only on the schema's text and the options, so a remembered one is the one a
 * fresh compile would make, whenever and wherever it runs (workflows replay the same). A schema
 * that does not compile throws every time and is not remembered. The ajv instance is made on the
 * first schema not already known.
 *
 * @example
 * const compile = payloadSchemaCompiler();
 * compile({ type: 'object', properties: { n: { type: 'integer' } } })({ n: 1 }) // true
 */
export function payloadSchemaCompiler(
  options: PayloadAjvOptions = {},
): (schema: object | boolean) => ValidateFunction {
  let ajv: Ajv2020 | undefined;
  const engine = options.backtrackingRegExp ? 'backtracking' : 're2';
  return (schema) => {
    const key = `${engine}|${JSON.stringify(schema)}`;
    let validate = compiledByText.get(key);
    if (validate === undefined) {
      ajv ??= createPayloadAjv(options);
      validate = ajv.compile(schema);
      if (compiledByText.size >= MAX_COMPILED_SCHEMAS) compiledByText.clear();
      compiledByText.set(key, validate);
    }
    return validate;
  };
}

/** Forgets every remembered validator: only for measuring a cold compile (bench:machine). */
export function forgetCompiledPayloadSchemas(): void {
  compiledByText.clear();
}
