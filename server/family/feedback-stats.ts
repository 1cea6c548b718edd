/**
 * `GET /kommuner/{kommune}/feedback-stats`: the answers to the kommune's feedback forms and
 * surveys, counted (#14). Per survey: responses in all and per month; per question how many
 * answered, for a scale the distribution and mean, for a choice the count of each option, for a
 * free text only the count: texts may name people, so they are never in this route. Like the
 * other statistics, only roles that see every case of the kommune may read them.
 *
 * @module
 */
import { z } from 'zod';
import type { KommuneConfig } from '../../config/types';
import type { FeedbackStatsRows, FeedbackStore } from '../../store/feedback-store';
import { requireKommuneSight, type AccessPolicy } from '../access-policy';
import { KommuneParams } from '../api-schemas';
import type { ConfigSource } from '../config-source';
import { defineRoute, type RouteDef } from '../route-definition';

const QuestionStats = z.object({
  id: z.string(),
  type: z.enum(['scale', 'choice', 'text']),
  text: z.string(),
  answers: z.number().int().describe('How many answered this question'),
  distribution: z
    .array(z.object({ value: z.number().int(), label: z.string(), count: z.number().int() }))
    .optional()
    .describe("For 'scale': how many chose each of 1 to 5"),
  mean: z.number().nullable().optional().describe("For 'scale': the mean of the answers (1–5)"),
  options: z
    .array(z.object({ id: z.string(), label: z.string(), count: z.number().int() }))
    .optional()
    .describe("For 'choice': how many chose each option"),
});

export const FeedbackStats = z.object({
  kommune: z.string(),
  surveys: z.array(
    z.object({
      survey: z.string(),
      title: z.string(),
      audience: z.enum(['family', 'partner']),
      responses: z.number().int(),
      months: z.array(
        z.object({
          month: z.string().describe('YYYY-MM (Europe/Oslo)'),
          responses: z.number().int(),
        }),
      ),
      questions: z.array(QuestionStats),
    }),
  ),
});
export type FeedbackStats = z.infer<typeof FeedbackStats>;

/** The rows summed over months, shaped by the kommune's surveys as configured now. */
export function feedbackStatsOf(
  kommune: string,
  config: KommuneConfig,
  rows: FeedbackStatsRows,
): FeedbackStats {
  /** Counts of one survey summed over its months, by key. */
  function summed<T extends { survey: string; count: number }>(
    list: T[],
    survey: string,
    key: (r: T) => string,
  ): Map<string, number> {
    const out = new Map<string, number>();
    for (const r of list)
      if (r.survey === survey) out.set(key(r), (out.get(key(r)) ?? 0) + r.count);
    return out;
  }
  const surveys = Object.entries(config.surveys ?? {}).map(([id, def]) => {
    const months = rows.responses
      .filter((r) => r.survey === id)
      .map((r) => ({ month: r.month, responses: r.responses }));
    const choices = summed(rows.choices, id, (r) => `${r.question}\0${r.value}`);
    const texts = summed(rows.texts, id, (r) => r.question);
    const chose = (question: string, value: string) => choices.get(`${question}\0${value}`) ?? 0;
    const questions = def.questions.map((q) => {
      const base = { id: q.id, type: q.type, text: q.text };
      if (q.type === 'text') return { ...base, answers: texts.get(q.id) ?? 0 };
      if (q.type === 'choice') {
        const options = q.options.map((o) => ({ ...o, count: chose(q.id, o.id) }));
        return { ...base, answers: options.reduce((a, o) => a + o.count, 0), options };
      }
      const distribution = q.labels.map((label, i) => ({
        value: i + 1,
        label,
        count: chose(q.id, String(i + 1)),
      }));
      const answers = distribution.reduce((a, d) => a + d.count, 0);
      const total = distribution.reduce((a, d) => a + d.value * d.count, 0);
      return {
        ...base,
        answers,
        distribution,
        mean: answers === 0 ? null : Math.round((total / answers) * 100) / 100,
      };
    });
    return {
      survey: id,
      title: def.title,
      audience: def.audience,
      responses: months.reduce((a, m) => a + m.responses, 0),
      months,
      questions,
    };
  });
  return { kommune, surveys };
}

export function feedbackStatsRoutes(
  access: AccessPolicy,
  configs: ConfigSource,
  store: Pick<FeedbackStore, 'stats'>,
): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/kommuner/:kommune/feedback-stats',
      operationId: 'getFeedbackStats',
      summary: 'Answers to the feedback forms and surveys, counted per survey and question',
      description:
        'Per survey the responses (in all and per month) and per question the number of answers; a scale question its distribution and mean, a choice question the count of each option, a free-text question only its count (free text is never returned). Answers carry no link to a case or person.',
      params: KommuneParams,
      query: z.strictObject({}),
      success: { status: 200, schema: FeedbackStats },
      errors: [404],
      handler: async ({ params, principal }) => {
        requireKommuneSight(await access(principal, params.kommune, 'kommune'), 'statistics');
        const current = await configs.current(params.kommune);
        const rows = await store.stats(params.kommune);
        return current
          ? feedbackStatsOf(params.kommune, current.config, rows)
          : { kommune: params.kommune, surveys: [] };
      },
    }),
  ];
}
