/**
 * A kommune config made ready to run: its XState machine and its payload forms compiled with
 * ajv. Compile once per config version and reuse; the result is read-only.
 *
 * @module
 */
import type { EventId, JsonSchema, KommuneConfig } from '../config/types';
import { compileMachine, type CaseMachine } from './compile-machine';
// Pure, from config/: a compile error names its form the way config errors do.
import { pointer } from '../config/json-pointer';
import {
  createPayloadCompiler,
  type CompiledForm,
  type PayloadCompilerOptions,
  type PayloadValidator,
} from './payload-validation';

export interface CompiledKommune {
  readonly config: KommuneConfig;
  /** The config version cases opened with it record as `configVersion`. */
  readonly version: number;
  readonly machine: CaseMachine;
  readonly validators: {
    readonly intake: PayloadValidator;
    readonly reopen: PayloadValidator;
    readonly events: ReadonlyMap<EventId, PayloadValidator>;
  };
  /** Each event's form as enforced (with its default bounds), for clients to build forms from. */
  readonly eventForms: ReadonlyMap<EventId, JsonSchema>;
}

export type CompileKommuneOptions = PayloadCompilerOptions;

/** A payload form the engine cannot compile; `path` is its JSON pointer in the config. */
export class FormCompileError extends Error {
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(
      `the form at ${path} does not compile: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'FormCompileError';
  }
}

/** Compiling is deterministic, so one result per config object, version and options can be shared. */
const compiled = new WeakMap<KommuneConfig, Map<string, CompiledKommune>>();

/**
 * And per content: the same config arrives as a new object with every workflow input and every
 * request that carries it. Few configs are live at once; the oldest is dropped beyond that.
 */
const byContent = new Map<string, CompiledKommune>();
const MAX_BY_CONTENT = 64;

/**
 * Compiles a validated config. Pure and memoised per config object, and per config content,
 * version and options, so a workflow can call it on every activation without paying for ajv
 * again. Throws when a form does not compile; a config that passed `validateConfig` always
 * compiles. A result's `config` may be an equal object compiled earlier: configs are read-only.
 *
 * @example
 * const k = compileKommune(config, 3);
 * openCase(k, { caseId: 'c-1', referralSource: 'school', payload, actor, now });
 */
export function compileKommune(
  config: KommuneConfig,
  version: number,
  options: CompileKommuneOptions = {},
): CompiledKommune {
  const key = `${version}${options.legacy ? ':legacy' : ''}`;
  let byVersion = compiled.get(config);
  const hit = byVersion?.get(key);
  if (hit) return hit;
  const contentKey = `${key}|${JSON.stringify(config)}`;
  let result = byContent.get(contentKey);
  if (result) {
    // Most recently used last, so the oldest is the first key.
    byContent.delete(contentKey);
  } else {
    result = compileKommuneFresh(config, version, options);
    if (byContent.size >= MAX_BY_CONTENT) byContent.delete(byContent.keys().next().value!);
  }
  byContent.set(contentKey, result);
  if (!byVersion) {
    byVersion = new Map();
    compiled.set(config, byVersion);
  }
  byVersion.set(key, result);
  return result;
}

/** Compiles without the memo: for measuring a compile, and for tests comparing two compiles. */
export function compileKommuneFresh(
  config: KommuneConfig,
  version: number,
  options: CompileKommuneOptions = {},
): CompiledKommune {
  const compileForm = createPayloadCompiler(options);
  // Events often share a form (or have none); ajv would compile each copy again, since it
  // caches by object, not content. Same text, same schema: one validator serves them all.
  const forms = new Map<string, CompiledForm>();
  const compile = (schema: JsonSchema | undefined, ...path: string[]): CompiledForm => {
    const text = schema === undefined ? '' : JSON.stringify(schema);
    const known = forms.get(text);
    if (known) return known;
    try {
      const form = compileForm(schema);
      forms.set(text, form);
      return form;
    } catch (error) {
      throw new FormCompileError(pointer(...path), error);
    }
  };
  const events = new Map<EventId, PayloadValidator>();
  const eventForms = new Map<EventId, JsonSchema>();
  for (const [id, def] of Object.entries(config.events)) {
    const form = compile(def.payload, 'events', id, 'payload');
    events.set(id, form.validate);
    eventForms.set(id, form.schema);
  }
  return {
    config,
    version,
    machine: compileMachine(config),
    validators: {
      intake: compile(config.intake.payload, 'intake', 'payload').validate,
      reopen: compile(config.reopen?.payload, 'reopen', 'payload').validate,
      events,
    },
    eventForms,
  };
}
