/**
 * `GET /kommuner/{kommune}/screening-stats`: how many finished the online self-assessment, per
 * month, age band and result band — the only figures the public screening leaves (#13). Like
 * the other statistics, only roles that see every case of the kommune may read them.
 *
 * @module
 */
import { z } from 'zod';
import type { ScreeningCounts } from '../../store/screening-counts';
import { requireKommuneSight, type AccessPolicy } from '../access-policy';
import { KommuneParams } from '../api-schemas';
import { defineRoute, type RouteDef } from '../route-definition';

export const ScreeningStats = z.object({
  kommune: z.string(),
  counts: z.array(
    z.object({
      month: z.string().describe('YYYY-MM (Europe/Oslo)'),
      ageBand: z.string(),
      resultBand: z.string(),
      completed: z.number().int(),
    }),
  ),
});

export function screeningStatsRoutes(
  access: AccessPolicy,
  counts: Pick<ScreeningCounts, 'list'>,
): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/kommuner/:kommune/screening-stats',
      operationId: 'getScreeningStats',
      summary:
        'Completed online self-assessments per month, age band and result band (anonymous counts)',
      description:
        'Nothing else about a screening is kept: no answers, no address, no time finer than the month.',
      params: KommuneParams,
      query: z.strictObject({}),
      success: { status: 200, schema: ScreeningStats },
      errors: [404],
      handler: async ({ params, principal }) => {
        requireKommuneSight(await access(principal, params.kommune, 'kommune'), 'statistics');
        return { kommune: params.kommune, counts: await counts.list(params.kommune) };
      },
    }),
  ];
}
