/** Shared helpers for the machine tests: the seed configs, actors, and unwrapping results. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonSchema, KommuneConfig } from '../../config/types';
import {
  compileKommune,
  type CaseState,
  type CompiledKommune,
  type Rejection,
  type StepResult,
} from '../../machines';

export const KOMMUNER_DIR = join(__dirname, '..', '..', 'config', 'kommuner');

export function loadSeed(id: string): KommuneConfig {
  return JSON.parse(readFileSync(join(KOMMUNER_DIR, `${id}.json`), 'utf8')) as KommuneConfig;
}

export function seedIds(): string[] {
  return readdirSync(KOMMUNER_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''));
}

/**
 * A NAV HOLF intake that meets every criterion: long-term social assistance, children at home,
 * no exclusion. `familiekoordinator` names the coordinator (a person id).
 */
export function holfIntake(familiekoordinator = 'fk-1'): Record<string, unknown> {
  return {
    inntekt: {
      langvarigSosialhjelp: true,
      gjentattSosialhjelp: false,
      aapMedSosialhjelp: false,
      dagpengerMedSosialhjelp: false,
      kvpMedSosialhjelp: false,
    },
    antallBarnUnder18Hjemme: 2,
    eksklusjon: {
      iTilsvarendeOppfolging: false,
      iBehandlingPsykiskLidelseEllerRus: false,
      barnUnderBarnevernetsOmsorg: false,
    },
    familiekoordinator,
  };
}

export function compileSeed(id: string): CompiledKommune {
  return compileKommune(loadSeed(id), 1);
}

export type Accepted = Extract<StepResult, { ok: true }>;

/** The accepted result, or a failed expectation that shows the rejection. */
export function accepted(result: StepResult): Accepted {
  if (!result.ok)
    throw new Error(
      `expected the command to be accepted, got ${JSON.stringify(result.rejection, null, 2)}`,
    );
  return result;
}

export function rejected(result: StepResult): Rejection {
  if (result.ok)
    throw new Error(`expected a rejection, but the case moved to "${result.state.step}"`);
  return result.rejection;
}

/** The armed timers as `timerId → dueAt`, the shape scenario assertions read best in. */
export function dueTimes(state: CaseState): Record<string, string> {
  return Object.fromEntries(state.timers.map((t) => [t.timerId, t.dueAt]));
}

export function timerKey(state: CaseState, timerId: string): string {
  const timer = state.timers.find((t) => t.timerId === timerId);
  if (!timer)
    throw new Error(
      `timer "${timerId}" is not armed; armed: ${state.timers.map((t) => t.timerId).join(', ')}`,
    );
  return timer.key;
}

export function dueAt(state: CaseState, timerId: string): string {
  return state.timers.find((t) => t.timerId === timerId)?.dueAt ?? '(not armed)';
}

/** A small deterministic PRNG, so a walk (in tests and bench/machine-bench.ts) is the same every run. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** A value that fits a simple form. */
export function sample(schema: JsonSchema | undefined, pick: () => number): unknown {
  const s = (schema ?? {}) as Record<string, unknown>;
  const choose = <T>(xs: T[]): T => xs[Math.floor(pick() * xs.length)]!;
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum)) return choose(s.enum as unknown[]);
  switch (s.type) {
    case 'boolean':
      return pick() < 0.5;
    case 'integer':
    case 'number':
      return Math.round(
        ((s.minimum as number) ?? 1) +
          pick() * (((s.maximum as number) ?? 4) - ((s.minimum as number) ?? 1)),
      );
    case 'string':
      return s.format === 'date'
        ? `2027-0${1 + Math.floor(pick() * 9)}-1${Math.floor(pick() * 9)}`
        : `u-${Math.floor(pick() * 5)}`;
    case 'array':
      return Array.from({ length: Math.max((s.minItems as number) ?? 0, 1) }, () =>
        sample(s.items as JsonSchema, pick),
      );
    default: {
      const props = (s.properties ?? {}) as Record<string, JsonSchema>;
      return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, sample(v, pick)]));
    }
  }
}
