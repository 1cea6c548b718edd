/**
 * Moving a running case onto a newer config version. Pure: the workflow applies the result.
 * A case may move only where its current step exists in the new version, or a mapping names
 * the step to continue in. Timers are recomputed by the new version's rules from the case's
 * original start times (entering the step, opening the case, last activity), so a deadline
 * that the new version shortens below the time already spent is due at once.
 */
import { withStepEntered } from './case-path';
import type { CompiledKommune } from './compile-kommune';
import { EngineEvents } from './engine-names';
import { timersOnEntry } from './timers';
import type { CaseState, StepResult } from './types';

export const MIGRATION_EVENT = EngineEvents.migrate;

export interface MigrateCaseInput {
  /** Old step id → step id in the new version, for steps renamed or removed. */
  stepMapping?: Record<string, string>;
  now: string;
}

/**
 * @example
 * const r = migrateCase(compileKommune(v2, 2), state, { stepMapping: { gammel: 'ny' }, now });
 * if (r.ok) r.state.configVersion; // 2
 */
export function migrateCase(
  k: CompiledKommune,
  state: CaseState,
  input: MigrateCaseInput,
): StepResult {
  const { config } = k;
  const mapping = input.stepMapping ?? {};
  const mapped = Object.hasOwn(mapping, state.step) ? mapping[state.step] : undefined;
  const target = mapped ?? state.step;
  // English for logs and the audit trail, bokmål for the process owner who asked.
  const refuse = (message: string, nb: string, path = '/stepMapping'): StepResult => ({
    ok: false,
    rejection: { code: 'MIGRATION_REFUSED', message, nb, details: [{ path, message, nb }] },
  });
  if (k.version <= state.configVersion) {
    return refuse(
      `the case already runs on version ${state.configVersion}; migrate only to a newer version`,
      `Saken følger allerede versjon ${state.configVersion}; den kan bare flyttes til en nyere versjon.`,
      '/configVersion',
    );
  }
  const step = Object.hasOwn(config.steps, target) ? config.steps[target] : undefined;
  if (!step) {
    return mapped
      ? refuse(
          `the mapping sends step "${state.step}" to "${target}", which version ${k.version} does not have`,
          `Steget «${state.step}» skal etter oppsettet flyttes til «${target}», men versjon ${k.version} har ikke noe slikt steg.`,
        )
      : refuse(
          `step "${state.step}" is not in version ${k.version}; give a step mapping for it`,
          `Steget «${state.step}» finnes ikke i versjon ${k.version}; oppgi hvilket steg saken skal flyttes til.`,
        );
  }
  if (state.status === 'open' && step.final) {
    return refuse(
      `an open case cannot be migrated into the final step "${target}"`,
      `En åpen sak kan ikke flyttes til sluttsteget «${step.title}».`,
    );
  }
  const moved: CaseState = {
    ...state,
    configVersion: k.version,
    step: target,
    level: step.level,
    ...(target === state.step ? {} : withStepEntered(state, target)),
    revision: state.revision + 1,
  };
  return {
    ok: true,
    state: {
      ...moved,
      timers: state.status === 'open' ? timersOnEntry(config, moved, input.now) : [],
    },
    effects: [],
    transition: { from: state.step, to: target, event: MIGRATION_EVENT },
  };
}
