/**
 * A kommune config made ready to run: its XState machine and its payload forms compiled with
 * ajv. Compile once per config version and reuse; the result is read-only.
 *
 * @module
 */
import type { EventId, KommuneConfig } from '../config/types';
import { compileMachine, type CaseMachine } from './compile-machine';
import { createPayloadCompiler, type PayloadValidator } from './payload-validation';

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
}

/** Compiling is deterministic, so one result per config object and version can be shared. */
const compiled = new WeakMap<KommuneConfig, Map<number, CompiledKommune>>();

/**
 * Compiles a validated config. Pure and memoised per config object and version, so a workflow
 * can call it on every activation without paying for ajv again.
 *
 * @example
 * const k = compileKommune(config, 3);
 * openCase(k, { caseId: 'c-1', referralSource: 'school', payload, actor, now });
 */
export function compileKommune(config: KommuneConfig, version: number): CompiledKommune {
  let byVersion = compiled.get(config);
  const hit = byVersion?.get(version);
  if (hit) return hit;
  const compile = createPayloadCompiler();
  const events = new Map<EventId, PayloadValidator>();
  for (const [id, def] of Object.entries(config.events)) events.set(id, compile(def.payload));
  const result: CompiledKommune = {
    config,
    version,
    machine: compileMachine(config),
    validators: { intake: compile(config.intake.payload), reopen: compile(config.reopen?.payload), events },
  };
  if (!byVersion) {
    byVersion = new Map();
    compiled.set(config, byVersion);
  }
  byVersion.set(version, result);
  return result;
}
