/**
 * One event sent to many cases at once (#16's safe batch changes): a new holder for a leaver's
 * cases, or closing cases a kommune no longer follows. Each case goes through the same path as
 * one sent by hand (access, the engine's rules, revision, the holder's caseload), as the signed-in
 * person; a dry run asks the engine what each case would do and sends nothing. Every case
 * answers for itself, so one refusal never stops the others.
 *
 * @module
 */
import { z } from 'zod';
import { ApiError } from './api-error';
import type { Principal } from './authenticate';
import type { CaseService } from './case-service';
import { CaseId, SendEventBody } from './api-schemas';
import { mapLimited } from './running-cases';

/** Cases in one request at most: the page sends a larger choice in chunks of this many. */
export const MAX_BATCH_CASES = 100;
const CONCURRENCY = 4;
/** Another change may land between reading a case and sending to it: read and try again. */
const CONFLICT_RETRIES = 3;

export const BatchEventBody = z.strictObject({
  caseIds: z
    .array(CaseId)
    .min(1)
    .max(MAX_BATCH_CASES)
    .refine((ids) => new Set(ids).size === ids.length, 'each case once')
    .describe(`The chosen cases, each once (at most ${MAX_BATCH_CASES})`),
  // The same event and form as one case's `POST …/events` takes.
  type: SendEventBody.shape.type.describe(
    'The event every case gets, e.g. a handover or a closing event of the config',
  ),
  payload: SendEventBody.shape.payload.describe("The event's form, the same for every case"),
  dryRun: z.boolean().optional().describe('Decide each case as the engine would and send nothing'),
});
export type BatchEventBody = z.infer<typeof BatchEventBody>;

export const BatchEventResult = z.object({
  caseId: z.string(),
  outcome: z.enum(['sent', 'wouldSend', 'refused']),
  fromStep: z.string().nullable(),
  toStep: z.string().nullable(),
  status: z.string().nullable().describe('open or closed after the event'),
  code: z.string().optional().describe('Refused: the stable code sending it by hand answers'),
  nb: z.string().optional().describe('Refused: why, in bokmål'),
});
export type BatchEventResult = z.infer<typeof BatchEventResult>;

export const BatchEventResponse = z.object({
  dryRun: z.boolean(),
  type: z.string(),
  results: z.array(BatchEventResult),
});
export type BatchEventResponse = z.infer<typeof BatchEventResponse>;

type Cases = Pick<CaseService, 'previewEvent' | 'sendEvent'>;

export async function sendBatchEvent(
  cases: Cases,
  principal: Principal,
  kommune: string,
  body: BatchEventBody,
): Promise<BatchEventResponse> {
  const event = { type: body.type, payload: body.payload ?? {} };
  const results = await mapLimited(
    body.caseIds,
    CONCURRENCY,
    async (caseId): Promise<BatchEventResult> => {
      for (let attempt = 1; ; attempt++) {
        let fromStep: string | null = null;
        try {
          const would = await cases.previewEvent(principal, kommune, caseId, event);
          fromStep = would.fromStep;
          if (body.dryRun) {
            const { toStep, status } = would;
            return { caseId, outcome: 'wouldSend', fromStep, toStep, status };
          }
          const after = await cases.sendEvent(principal, kommune, caseId, {
            ...event,
            expectedRevision: would.revision,
          });
          const { step: toStep, status } = after;
          return { caseId, outcome: 'sent', fromStep, toStep, status };
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          if (err.code === 'REVISION_CONFLICT' && attempt < CONFLICT_RETRIES) continue;
          const { code, nb } = err;
          return {
            caseId,
            outcome: 'refused',
            fromStep,
            toStep: null,
            status: null,
            code,
            nb,
          };
        }
      }
    },
  );
  return { dryRun: body.dryRun === true, type: body.type, results };
}
