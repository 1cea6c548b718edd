/**
 * Partner surveys (#14): Lørenskog asks the services it works with how the collaboration goes.
 * Such a survey belongs to no case, so no case's effect sends it: a leader sends a round of it to
 * people chosen from the staff directory, each with a single-use link of their own, by the
 * survey's `invitation` template. The round is a workflow (workflows/partner-survey-workflow.ts)
 * that survives restarts and retries a channel that is down; the leader reads back how many it
 * reached. Answers are stored like every survey's, without any link to the person.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import type { RecipientResult } from '../activities/deliver';
import type { KommuneConfig } from '../config/types';
import { addDuration } from '../machines/durations';
import type { Notification } from '../machines/case-notification';
import { fillCaseVariables } from '../machines/message-render';
import type { StaffDirectory } from '../store/staff-directory';
import { partnerSurveyWorkflow } from '../workflows/partner-survey-workflow';
import { partnerSurveyWorkflowId } from '../workflows/search-attributes';
import type { AccessPolicy } from './access-policy';
import { ApiError } from './api-error';
import { NoQuery, PersonId, SurveyParams } from './api-schemas';
import type { TemporalDeps } from './case-service';
import type { ConfigSource } from './config-source';
import { requireLeader } from './leader-routes';
import { defineRoute, type RouteDef } from './route-definition';

/** At most this many people in one round: a kommune's partner services, not a mailing list. */
export const MAX_ROUND_RECIPIENTS = 200;

const RoundId = z.string().regex(/^[A-Za-z0-9_-]{16}$/, 'round id: the 16 characters sent back');
const RoundParams = SurveyParams.extend({ roundId: RoundId });

const SendBody = z.strictObject({
  personIds: z
    .array(PersonId)
    .min(1)
    .max(MAX_ROUND_RECIPIENTS)
    .refine((ids) => new Set(ids).size === ids.length, 'each person once'),
});

const Round = z.object({
  roundId: z.string(),
  survey: z.string(),
  recipients: z.number().int().describe('How many people the round is sent to'),
  status: z
    .enum(['sending', 'done', 'failed'])
    .describe("'sending' while channels are tried, 'done' when every recipient has an outcome"),
  sent: z.number().int().describe('Recipients a channel took the message for'),
  failed: z
    .number()
    .int()
    .describe('Recipients not reached (no contact details, refused, or a channel down for good)'),
});

/** The round's message as the config words it: `{{kommune}}` filled, `{{lenke}}` left for delivery. */
function invitationOf(config: KommuneConfig, surveyId: string, roundId: string, now: Date) {
  const survey = config.surveys![surveyId];
  const template = config.templates![survey.invitation!];
  // The config check allows no case variable here; these only keep the type whole.
  const facts = { kommune: config.name, saksnummer: '', steg: '', niva: '', frist: '' };
  const n: Notification = {
    key: `partner-survey-${roundId}`,
    kommune: config.id,
    // A round belongs to no case.
    caseId: '',
    kind: 'survey',
    to: 'partner',
    template: survey.invitation!,
    title: fillCaseVariables(template.title, facts),
    body: fillCaseVariables(template.body, facts),
    reason: `partner survey ${surveyId}`,
    link: `/tilbakemelding/${roundId}`,
    feedback: {
      survey: surveyId,
      step: '',
      expiresAt: addDuration(now.getTime(), survey.expiresAfter),
    },
    createdAt: now.toISOString(),
  };
  return n;
}

export function partnerSurveyRoutes(deps: {
  access: AccessPolicy;
  configs: ConfigSource;
  temporal: TemporalDeps;
  staff: Pick<StaffDirectory, 'get'>;
}): RouteDef[] {
  const may = { en: 'send partner surveys', nb: 'sende spørreskjema til samarbeidspartnere' };

  async function partnerSurvey(kommune: string, surveyId: string) {
    const current = await deps.configs.current(kommune);
    const survey = current?.config.surveys?.[surveyId];
    if (!current || !survey || !Object.hasOwn(current.config.surveys!, surveyId)) {
      throw new ApiError(
        'SURVEY_NOT_FOUND',
        `kommune "${kommune}" has no survey "${surveyId}"`,
        `Kommunen har ikke noe skjema «${surveyId}».`,
      );
    }
    if (survey.audience !== 'partner' || survey.invitation === undefined) {
      throw new ApiError(
        'SURVEY_NOT_FOR_PARTNERS',
        `survey "${surveyId}" is written for families and is sent from their cases`,
        `«${survey.title}» er til familier og sendes fra sakene deres; bare skjemaer til samarbeidspartnere sendes herfra.`,
      );
    }
    return current.config;
  }

  return [
    defineRoute({
      method: 'post',
      path: '/kommuner/:kommune/surveys/:survey/rounds',
      operationId: 'sendPartnerSurvey',
      summary: 'Send a partner survey to people in the staff directory (leaders)',
      description: `Each person gets the survey's invitation with a single-use link of their own, by their preferred channel. At most ${MAX_ROUND_RECIPIENTS} people, each once, each in the staff directory. Answers carry no link to the person.`,
      params: SurveyParams,
      query: NoQuery,
      body: SendBody,
      success: { status: 201, schema: Round },
      errors: [404, 422],
      handler: async ({ params, principal, body }) => {
        await requireLeader(deps.access, principal, params.kommune, may);
        const config = await partnerSurvey(params.kommune, params.survey);
        const entries = await Promise.all(
          body.personIds.map((id) => deps.staff.get(params.kommune, id)),
        );
        const missing = body.personIds.flatMap((id, i) => (entries[i] ? [] : [{ id, i }]));
        if (missing.length > 0) {
          throw new ApiError(
            'STAFF_ENTRY_NOT_FOUND',
            `${missing.length} of the people are not in the staff directory; nothing was sent`,
            `${missing.length} av personene står ikke i kontaktlisten for ansatte; ingenting ble sendt.`,
            missing.slice(0, 20).map(({ id, i }) => ({
              path: `/body/personIds/${i}`,
              message: `"${id}" is not in the staff directory`,
              nb: `«${id}» står ikke i kontaktlisten for ansatte.`,
            })),
          );
        }
        const roundId = randomBytes(12).toString('base64url');
        const n: Notification = {
          ...invitationOf(config, params.survey, roundId, new Date()),
          recipients: body.personIds.map((id) => ({ kind: 'staff', id, role: 'partner' })),
        };
        try {
          await deps.temporal.client.workflow.start(partnerSurveyWorkflow, {
            workflowId: partnerSurveyWorkflowId(params.kommune, roundId),
            taskQueue: deps.temporal.taskQueue,
            args: [n],
            // What the round's reader needs, with no one's id in it.
            memo: { survey: params.survey, recipients: body.personIds.length },
          });
        } catch (err) {
          // 96 random bits: a clash is a bug, not a user's doing.
          if (err instanceof WorkflowExecutionAlreadyStartedError)
            throw new Error('round id reused');
          throw err;
        }
        return {
          roundId,
          survey: params.survey,
          recipients: body.personIds.length,
          status: 'sending' as const,
          sent: 0,
          failed: 0,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/kommuner/:kommune/surveys/:survey/rounds/:roundId',
      operationId: 'getPartnerSurveyRound',
      summary: 'How far a round of a partner survey has come (leaders)',
      params: RoundParams,
      query: NoQuery,
      success: { status: 200, schema: Round },
      errors: [404],
      handler: async ({ params, principal }) => {
        await requireLeader(deps.access, principal, params.kommune, may);
        await partnerSurvey(params.kommune, params.survey);
        const handle = deps.temporal.client.workflow.getHandle(
          partnerSurveyWorkflowId(params.kommune, params.roundId),
        );
        const notFound = () =>
          new ApiError(
            'SURVEY_ROUND_NOT_FOUND',
            `no round ${params.roundId} of survey "${params.survey}"`,
            'Denne utsendelsen av skjemaet finnes ikke.',
          );
        let described;
        try {
          described = await handle.describe();
        } catch (err) {
          if (err instanceof WorkflowNotFoundError) throw notFound();
          throw err;
        }
        const memo = (described.memo ?? {}) as { survey?: string; recipients?: number };
        if (memo.survey !== params.survey) throw notFound();
        const round = { roundId: params.roundId, survey: params.survey };
        const recipients = memo.recipients ?? 0;
        if (described.status.name === 'RUNNING')
          return { ...round, recipients, status: 'sending' as const, sent: 0, failed: 0 };
        if (described.status.name !== 'COMPLETED')
          return { ...round, recipients, status: 'failed' as const, sent: 0, failed: recipients };
        const results = (await handle.result()) as RecipientResult[];
        const sent = results.filter((r) => r.status === 'sent').length;
        return {
          ...round,
          recipients,
          status: 'done' as const,
          sent,
          failed: results.length - sent,
        };
      },
    }),
  ];
}
