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
  formSchema,
  type CompiledForm,
  type PayloadCompilerOptions,
  type PayloadValidator,
} from './payload-validation';

export interface CompiledKommune {
  readonly config: KommuneConfig;
  /** The config version cases opened with it record as `configVersion`. */
  readonly version: number;
  readonly machine: CaseMachine;
  /** Each form's validator, compiled with ajv the first time it is asked for (see below). */
  readonly validators: {
    readonly intake: PayloadValidator;
    readonly reopen: PayloadValidator;
    readonly events: FormLookup<PayloadValidator>;
  };
  /** Each event's form as enforced (with its default bounds), for clients to build forms from. */
  readonly eventForms: FormLookup<JsonSchema>;
  /** Compiles every form not compiled yet; throws `FormCompileError` for one that does not. */
  compileAllForms(): void;
}

/** An event's form (or its validator) by event id; undefined for an event the config lacks. */
export interface FormLookup<T> {
  get(event: EventId): T | undefined;
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
  // Payload forms are compiled by ajv the first time one is used, not here: ajv was three
  // quarters of a compile, most forms of a version serve few cases or none, and opening a case
  // needs only the intake form. A form that does not compile would throw at its first use, so
  // `compileErrors` (before publishing) calls `compileAllForms`; what validates still compiles.
  const forms = new LazyForms(options);
  // By event id, as every command asks: no key text built per command.
  const byEvent = new Map<EventId, CompiledForm | undefined>();
  const eventForm = (id: EventId): CompiledForm | undefined => {
    if (byEvent.has(id)) return byEvent.get(id);
    const def = Object.hasOwn(config.events, id) ? config.events[id] : undefined;
    const form = def && forms.form(`events/${id}`, def.payload, 'events', id, 'payload');
    // Only the config's own events: an unknown id sent by a client is not remembered.
    if (form) byEvent.set(id, form);
    return form;
  };
  return {
    config,
    version,
    machine: compileMachine(config),
    validators: {
      get intake() {
        return forms.form('intake', config.intake.payload, 'intake', 'payload').validate;
      },
      get reopen() {
        return forms.form('reopen', config.reopen?.payload, 'reopen', 'payload').validate;
      },
      events: { get: (id) => eventForm(id)?.validate },
    },
    eventForms: { get: (id) => eventForm(id)?.schema },
    compileAllForms() {
      for (const id of Object.keys(config.events)) void eventForm(id)?.validate;
      void this.validators.intake;
      void this.validators.reopen;
    },
  };
}

/**
 * A config's forms, each made (bounded) when first asked for and its validator compiled when
 * first asked for. Events often share a form (or have none); ajv would compile each copy again,
 * since it caches by object, not content: the same text is one form, one validator.
 * Deterministic: the same config gives the same forms whenever and in whatever order they are
 * asked for, so a memoised compile shared by many workflows is the same as a fresh one.
 */
class LazyForms {
  private compiler?: (schema: JsonSchema) => PayloadValidator;
  private readonly byText = new Map<string, CompiledForm>();
  /** By where the form is in the config (`intake`, `events/<id>` …): a lookup per command. */
  private readonly byKey = new Map<string, CompiledForm>();

  constructor(private readonly options: CompileKommuneOptions) {}

  form(key: string, given: JsonSchema | undefined, ...path: string[]): CompiledForm {
    const atKey = this.byKey.get(key);
    if (atKey) return atKey;
    const text = given === undefined ? '' : JSON.stringify(given);
    const known = this.byText.get(text);
    if (known) {
      this.byKey.set(key, known);
      return known;
    }
    const schema = formSchema(given, this.options);
    let validate: PayloadValidator | undefined;
    const form: CompiledForm = {
      schema,
      get validate() {
        return (validate ??= compileOrThrow());
      },
    };
    const compileOrThrow = (): PayloadValidator => {
      try {
        this.compiler ??= createPayloadCompiler(this.options);
        return this.compiler(schema);
      } catch (error) {
        throw new FormCompileError(pointer(...path), error);
      }
    };
    this.byText.set(text, form);
    this.byKey.set(key, form);
    return form;
  }
}
