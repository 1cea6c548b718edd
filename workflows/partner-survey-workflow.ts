/**
 * A round of a partner survey: a leader sends the survey's link to people chosen from the staff
 * directory (server/partner-survey-routes.ts). The round belongs to no case; it is a workflow so
 * the sending survives a restart and a channel that is down for a while, as a case's messages do.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { createActivities, Notification } from '../activities';
import type { RecipientResult } from '../activities/deliver';

type Activities = ReturnType<typeof createActivities>;

// One message to up to 200 people: each handed to a channel in well under a second, so minutes
// at most. A channel that is down is retried, as a case's messages are, for about a day.
const { deliverNotification } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 hour',
    maximumAttempts: 30,
  },
});

/** Sends the round's message (its link personal to each recipient) and returns who got it. */
export async function partnerSurveyWorkflow(n: Notification): Promise<RecipientResult[]> {
  return deliverNotification(n);
}
