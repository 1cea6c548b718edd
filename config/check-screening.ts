/**
 * Semantic check of the online self-assessment (`screening`): ids unique where the pages and the
 * statistics look them up, age bands that never claim the same age, and result bands that give
 * every possible score exactly one meaning. The schema has already bounded texts and list sizes.
 */
import type { ConfigError } from './config-error';
import type { KommuneConfig, ScreeningAgeBand } from './types';
import { scoreRange } from './screening';
import { pointer } from './json-pointer';

export function checkScreening(config: KommuneConfig): ConfigError[] {
  const screening = config.screening;
  if (!screening) return [];
  const errors: ConfigError[] = [];
  const base = ['screening', 'ageBands'] as const;

  const duplicates = (
    ids: string[],
    path: (i: number) => Array<string | number>,
    what: string,
    whatNb: string,
  ) => {
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (!seen.has(id)) {
        seen.add(id);
        return;
      }
      errors.push({
        code: 'SCREENING_DUPLICATE_ID',
        path: pointer(...path(i)),
        message: `${what} id "${id}" is used twice`,
        nb: `${whatNb} «${id}» står to ganger. Hver id må være unik, så svarene og statistikken peker på riktig sted.`,
        hint: 'give each one an id of its own',
      });
    });
  };
  duplicates(
    screening.ageBands.map((b) => b.id),
    (i) => [...base, i, 'id'],
    'age band',
    'Aldersgruppen',
  );
  screening.ageBands.forEach((band, b) => {
    duplicates(
      band.questions.map((q) => q.id),
      (i) => [...base, b, 'questions', i, 'id'],
      'question',
      'Spørsmålet',
    );
    band.questions.forEach((q, i) =>
      duplicates(
        q.options.map((o) => o.id),
        (j) => [...base, b, 'questions', i, 'options', j, 'id'],
        'answer',
        'Svaret',
      ),
    );
    duplicates(
      band.results.map((r) => r.id),
      (i) => [...base, b, 'results', i, 'id'],
      'result',
      'Resultatet',
    );
    if (band.minAge > band.maxAge) {
      errors.push({
        code: 'SCREENING_AGE_RANGE_EMPTY',
        path: pointer(...base, b, 'maxAge'),
        message: `age band "${band.id}" ends (${band.maxAge}) before it starts (${band.minAge})`,
        nb: `Aldersgruppen «${band.title}» slutter på ${band.maxAge} år, før den begynner (${band.minAge} år).`,
        hint: 'maxAge must be at least minAge',
      });
    }
    checkResults(band, b, errors);
  });

  // Ages: sorted by start, each band must start after the one before ends.
  const bands = screening.ageBands
    .map((band, index) => ({ band, index }))
    .filter(({ band }) => band.minAge <= band.maxAge)
    .sort((a, b) => a.band.minAge - b.band.minAge);
  for (let i = 1; i < bands.length; i++) {
    const prev = bands[i - 1].band;
    const { band, index } = bands[i];
    if (band.minAge <= prev.maxAge) {
      errors.push({
        code: 'SCREENING_AGE_BANDS_OVERLAP',
        path: pointer(...base, index, 'minAge'),
        message: `age band "${band.id}" (${band.minAge}–${band.maxAge}) overlaps "${prev.id}" (${prev.minAge}–${prev.maxAge})`,
        nb: `Aldersgruppene «${prev.title}» og «${band.title}» gjelder begge ${band.minAge} år. En alder kan bare høre til én gruppe.`,
        hint: `start "${band.id}" at ${prev.maxAge + 1}`,
      });
    }
  }
  return errors;
}

/** The result bands of one age band cover lowest..highest possible score, each score once. */
function checkResults(band: ScreeningAgeBand, b: number, errors: ConfigError[]): void {
  const resultPath = (i: number, key: string) =>
    pointer('screening', 'ageBands', b, 'results', i, key);
  const { min, max } = scoreRange(band);
  const results = band.results
    .map((result, index) => ({ result, index }))
    .filter(({ result, index }) => {
      if (result.minScore <= result.maxScore) return true;
      errors.push({
        code: 'SCREENING_SCORE_RANGE_EMPTY',
        path: resultPath(index, 'maxScore'),
        message: `result "${result.id}" ends (${result.maxScore}) before it starts (${result.minScore})`,
        nb: `Resultatet «${result.title}» slutter på ${result.maxScore} poeng, før det begynner (${result.minScore} poeng).`,
        hint: 'maxScore must be at least minScore',
      });
      return false;
    })
    .sort((x, y) => x.result.minScore - y.result.minScore);
  if (results.length === 0) return;

  const gap = (from: number, to: number, path: string) =>
    errors.push({
      code: 'SCREENING_RESULTS_GAP',
      path,
      message: `in age band "${band.id}", no result covers the score${from === to ? '' : 's'} ${from === to ? from : `${from}–${to}`} (the questions give ${min}–${max})`,
      nb: `I aldersgruppen «${band.title}» hører ${from === to ? `poengsummen ${from}` : `poengsummene ${from}–${to}`} ikke til noe resultat. Spørsmålene kan gi fra ${min} til ${max} poeng, og hver poengsum må ha et resultat.`,
      hint: `make the results cover ${min}–${max} without gaps`,
    });

  const first = results[0];
  if (first.result.minScore > min)
    gap(min, first.result.minScore - 1, resultPath(first.index, 'minScore'));
  for (let i = 1; i < results.length; i++) {
    const prev = results[i - 1].result;
    const { result, index } = results[i];
    if (result.minScore <= prev.maxScore) {
      errors.push({
        code: 'SCREENING_RESULTS_OVERLAP',
        path: resultPath(index, 'minScore'),
        message: `results "${prev.id}" (${prev.minScore}–${prev.maxScore}) and "${result.id}" (${result.minScore}–${result.maxScore}) both cover ${result.minScore}`,
        nb: `Resultatene «${prev.title}» og «${result.title}» gjelder begge ${result.minScore} poeng. En poengsum kan bare ha ett resultat.`,
        hint: `start "${result.id}" at ${prev.maxScore + 1}`,
      });
    } else if (result.minScore > prev.maxScore + 1) {
      gap(prev.maxScore + 1, result.minScore - 1, resultPath(index, 'minScore'));
    }
  }
  const last = results[results.length - 1];
  if (last.result.maxScore < max)
    gap(last.result.maxScore + 1, max, resultPath(last.index, 'maxScore'));
}
