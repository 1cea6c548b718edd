/**
 * A round of a partner survey: a leader sends the survey's link to people chosen from the staff
 * directory (server/partner-survey-routes.ts). The round belongs to no case; it is a workflow so
 * the sending survives a restart and a channel that is down for a while, as a case's messages do.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { createActivities, Notification } from '../activities';
import type { RecipientResult } from '../activities/deliver';
import { DELIVERY_RETRY } from './case-delivery';

type Activities = ReturnType<typeof createActivities>;

// One message to up to 200 people: each handed to a channel in well under a second, so minutes
// at most. A channel that is down is retried as a case's messages are.
const { deliverNotification } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  retry: DELIVERY_RETRY,
});

/** Sends the round's message (its link personal to each recipient) and returns who got it. */
export async function partnerSurveyWorkflow(n: Notification): Promise<RecipientResult[]> {
  return deliverNotification(n);
}
