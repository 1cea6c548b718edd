import { validateConfigText, type ConfigError, type KommuneConfig } from '../config';
import { compileErrors } from '../machines';

export type ValidateDraftResult =
  { ok: true; config: KommuneConfig } | { ok: false; errors: ConfigError[] };

/** `validateDraft` or a stand-in that runs it elsewhere (the API runs it on a worker thread). */
export type DraftValidator = (
  kommune: string,
  source: string,
) => ValidateDraftResult | Promise<ValidateDraftResult>;

/**
 * Checks a draft's text exactly as `npm run config:validate` checks a file — down to the
 * engine's own compile, so what publishes runs — and that `id` is the kommune's own id (a draft
 * can never publish over another kommune).
 */
export function validateDraft(kommune: string, source: string): ValidateDraftResult {
  const result = validateConfigText(
    source,
    {
      id: kommune,
      mismatch: `this kommune's id "${kommune}"`,
      hint: () => `set "id": "${kommune}"`,
      nb: (id) =>
        `«id» er «${id}», men utkastet gjelder kommunen «${kommune}». Skriv "id": "${kommune}".`,
    },
    compileErrors,
  );
  return result.ok ? result : { ok: false, errors: result.errors };
}
