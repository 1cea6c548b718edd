/** Shared helpers for the machine tests: the seed configs, actors, and unwrapping results. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { KommuneConfig } from '../../config/types';
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
