/**
 * The feedback or survey link of a notification, made real before the message is stored: its
 * token is issued in the store (hashed, without the case), and the link made absolute on the
 * public base URL (`PUBLIC_BASE_URL`), so a link in a mail or SMS opens the form.
 *
 * @module
 */
import type { FeedbackStore } from '../store/feedback-store';
import { screeningMonth } from '../store/screening-counts';
import type { Notification } from './activity-types';

/** Where people reach this service; links in messages start with it. */
export const DEFAULT_PUBLIC_BASE_URL = 'http://localhost:3000';

export function publicBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.PUBLIC_BASE_URL || DEFAULT_PUBLIC_BASE_URL).replace(/\/+$/, '');
}

/** The notification with its link absolute, after issuing the link's token; others unchanged. */
export async function issueFeedbackLink(
  n: Notification,
  tokens: Pick<FeedbackStore, 'issue'> | undefined,
  baseUrl: string,
): Promise<Notification> {
  if (!n.link) return n;
  const token = n.link.slice(n.link.lastIndexOf('/') + 1);
  if (tokens && n.feedback)
    await tokens.issue({
      kommune: n.kommune,
      survey: n.feedback.survey,
      stepClosedFrom: n.feedback.step,
      month: screeningMonth(new Date(n.createdAt)),
      token,
      expiresAt: n.feedback.expiresAt,
    });
  return n.link.startsWith('/') ? { ...n, link: `${baseUrl}${n.link}` } : n;
}
