/**
 * Scoring the online self-assessment: a pure function of the config's screening, the age band
 * chosen and the answers (question id → answer id). Used by the public pages; pure, so it is
 * unit-tested without a server and could run anywhere the config does.
 *
 * @module
 */
import type { ScreeningAgeBand, ScreeningDef, ScreeningResult } from './types';

/** Question id → the id of the answer chosen. */
export type ScreeningAnswers = Readonly<Record<string, string>>;

export const ScreeningAnswerErrorCodes = [
  'UNKNOWN_AGE_BAND',
  'UNKNOWN_QUESTION',
  'UNKNOWN_OPTION',
  'MISSING_ANSWER',
] as const;
export type ScreeningAnswerErrorCode = (typeof ScreeningAnswerErrorCodes)[number];

export interface ScreeningAnswerError {
  code: ScreeningAnswerErrorCode;
  /** The question the error is about (none for an unknown age band). */
  questionId?: string;
  /** English, for logs and developers. */
  message: string;
  /** Plain bokmål for the family. */
  nb: string;
}

export type ScreeningScore =
  | { ok: true; ageBand: ScreeningAgeBand; score: number; result: ScreeningResult }
  | { ok: false; errors: ScreeningAnswerError[] };

/** The lowest and highest score the band's questions can give. */
export function scoreRange(band: ScreeningAgeBand): { min: number; max: number } {
  let min = 0;
  let max = 0;
  for (const q of band.questions) {
    const weights = q.options.map((o) => o.weight);
    min += Math.min(...weights);
    max += Math.max(...weights);
  }
  return { min, max };
}

/**
 * The score and result band of `answers` in `ageBandId`. Every question of the band must be
 * answered with one of its options; an answer to a question the band does not have is refused
 * too, so a stale or forged form never yields a result.
 *
 * @example
 * const scored = scoreScreening(config.screening, 'barn-6-12', { sovn: 'ofte', venner: 'sjelden' });
 * if (scored.ok) console.log(scored.score, scored.result.id);
 */
export function scoreScreening(
  screening: ScreeningDef,
  ageBandId: string,
  answers: ScreeningAnswers,
): ScreeningScore {
  const ageBand = screening.ageBands.find((b) => b.id === ageBandId);
  if (!ageBand) {
    return {
      ok: false,
      errors: [
        {
          code: 'UNKNOWN_AGE_BAND',
          message: `no age band "${ageBandId}"`,
          nb: 'Velg alderen til barnet på nytt.',
        },
      ],
    };
  }
  const errors: ScreeningAnswerError[] = [];
  const questions = new Map(ageBand.questions.map((q) => [q.id, q]));
  for (const questionId of Object.keys(answers)) {
    if (!questions.has(questionId))
      errors.push({
        code: 'UNKNOWN_QUESTION',
        questionId,
        message: `age band "${ageBand.id}" has no question "${questionId}"`,
        nb: 'Skjemaet har et spørsmål som ikke finnes lenger. Start på nytt.',
      });
  }
  let score = 0;
  for (const question of ageBand.questions) {
    const optionId = Object.hasOwn(answers, question.id) ? answers[question.id] : undefined;
    if (optionId === undefined) {
      errors.push({
        code: 'MISSING_ANSWER',
        questionId: question.id,
        message: `question "${question.id}" is not answered`,
        nb: `Svar på spørsmålet «${question.text}».`,
      });
      continue;
    }
    const option = question.options.find((o) => o.id === optionId);
    if (!option) {
      errors.push({
        code: 'UNKNOWN_OPTION',
        questionId: question.id,
        message: `question "${question.id}" has no answer "${optionId}"`,
        nb: `Velg ett av svarene på spørsmålet «${question.text}».`,
      });
      continue;
    }
    score += option.weight;
  }
  if (errors.length > 0) return { ok: false, errors };
  const result = ageBand.results.find((r) => score >= r.minScore && score <= r.maxScore);
  // A validated config covers every possible score (check-screening.ts); this guards the rest.
  if (!result) throw new Error(`age band "${ageBand.id}" has no result for score ${score}`);
  return { ok: true, ageBand, score, result };
}
