/**
 * The family's words in the config (`familyTexts`): every seed speaks to the family at every step
 * a case can reach, and a text that names a missing step, event, timer or consent type, or runs
 * too long, is refused with its path and a stable code.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigFile, validateConfig } from '../../config';
import type { KommuneConfig } from '../../config/types';
import { configTransitions } from '../../machines/config-graph';
import { REPO_ROOT } from './helpers/fixtures';

const dir = join(REPO_ROOT, 'config', 'kommuner');
const seeds = readdirSync(dir).filter((name) => name.endsWith('.json'));

function seed(name: string): KommuneConfig {
  const result = loadConfigFile(join(dir, name));
  if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.errors)}`);
  return result.config;
}

/** Steps a case can be in: from the intake along every transition, reopenings included. */
function reachableSteps(config: KommuneConfig): string[] {
  const edges = configTransitions(config);
  const seen = new Set([config.intake.step]);
  const queue = [config.intake.step];
  while (queue.length > 0) {
    const from = queue.shift()!;
    for (const e of edges)
      if (e.from === from && !seen.has(e.to)) {
        seen.add(e.to);
        queue.push(e.to);
      }
  }
  return [...seen].sort();
}

describe.each(seeds)('the seed %s', (name) => {
  test('when a family follows any path through it, then every step they reach has a family title and text', () => {
    const config = seed(name);
    const missing = reachableSteps(config).filter((step) => {
      const t = config.familyTexts?.steps?.[step];
      return !t?.title.trim() || !t.text.trim();
    });
    expect(missing).toEqual([]);
  });

  test('when it names how to reach the service, then the family reads a name to ask for', () => {
    expect(seed(name).familyTexts?.contact?.name).toEqual(expect.any(String));
  });
});

describe('family texts that do not fit the config', () => {
  const lorenskog = () => seed('lorenskog.json');

  test('when texts name a missing step, event, timer or consent type, then each is refused at its path with its code', () => {
    const config = lorenskog();
    config.familyTexts = {
      ...config.familyTexts,
      steps: {
        ...config.familyTexts!.steps,
        motak: { title: 'Mottatt', text: 'Vi ser på saken.' },
      },
      events: { giSamtyke: 'Dere ga samtykke.' },
      timers: { vurdering_koordinator: { vedtakfrist: 'Svar senest' }, borte: {} },
      consents: { tverrfaglig: { title: 'Samtykke', text: 'Tjenestene samarbeider.' } },
    };
    const result = validateConfig(config);
    expect(result.ok ? [] : result.errors.map((e) => [e.code, e.path])).toEqual([
      ['FAMILY_TEXT_UNKNOWN_STEP', '/familyTexts/steps/motak'],
      ['FAMILY_TEXT_UNKNOWN_EVENT', '/familyTexts/events/giSamtyke'],
      ['FAMILY_TEXT_UNKNOWN_TIMER', '/familyTexts/timers/vurdering_koordinator/vedtakfrist'],
      ['FAMILY_TEXT_UNKNOWN_STEP', '/familyTexts/timers/borte'],
      ['FAMILY_TEXT_UNKNOWN_CONSENT_TYPE', '/familyTexts/consents/tverrfaglig'],
    ]);
    const nb = result.ok ? '' : result.errors[0].nb;
    expect(nb).toBe('Familieteksten gjelder steget «motak», som ikke finnes. Mente du «mottak»?');
  });

  test('when a step text runs past 1000 characters, then it is refused as too long', () => {
    const config = lorenskog();
    config.familyTexts!.steps!.mottak.text = 'a'.repeat(1001);
    const result = validateConfig(config);
    expect(result.ok ? [] : result.errors.map((e) => [e.code, e.path])).toEqual([
      ['SCHEMA_MAX_LENGTH', '/familyTexts/steps/mottak/text'],
    ]);
  });
});
