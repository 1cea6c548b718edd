/**
 * The feedback or survey link of a notification, made real at delivery: the workflow's link names
 * only a random link id; here it becomes the link's token, which is issued in the store (hashed,
 * without the case), and the link is made absolute on the public base URL (`PUBLIC_BASE_URL`),
 * so a link in a mail or SMS opens the form.
 *
 * @module
 */
import { createHmac } from 'node:crypto';
import type { FeedbackStore } from '../store/feedback-store';
import { screeningMonth } from '../store/screening-counts';
import type { Notification } from './activity-types';

/** Where people reach this service; links in messages start with it. */
export const DEFAULT_PUBLIC_BASE_URL = 'http://localhost:3000';

export function publicBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.PUBLIC_BASE_URL || DEFAULT_PUBLIC_BASE_URL).replace(/\/+$/, '');
}

/** A token as the form's route accepts it: 43 base64url characters (256 bits). */
export const FEEDBACK_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export interface FeedbackLinkDeps {
  /** The key ring's link key (`SLUSE_LINK_KEY`); Temporal never sees it. */
  key: Uint8Array;
  /** Where tokens are issued; left out, links are sent but cannot be answered. */
  tokens?: Pick<FeedbackStore, 'issue'>;
  /** Base of links in messages (`PUBLIC_BASE_URL`). */
  baseUrl: string;
}

/** The token of the link with this id, for one recipient of it. */
export function feedbackToken(key: Uint8Array, linkId: string, recipientId = ''): string {
  // HMAC of the workflow's link id with a key only workers hold: history alone cannot make a
  // working link, and a retried delivery issues and sends the same token, never a second one.
  // Each recipient's is their own, so two parents can each answer once.
  return createHmac('sha256', key)
    .update(`feedback-link\0${linkId}\0${recipientId}`, 'utf8')
    .digest('base64url');
}

/**
 * The notification as `recipientId` gets it: the link's token issued for them and the link
 * absolute. Notifications without a link unchanged.
 */
export async function withFeedbackLink(
  n: Notification,
  deps: FeedbackLinkDeps,
  recipientId: string,
): Promise<Notification> {
  if (!n.link) return n;
  const cut = n.link.lastIndexOf('/') + 1;
  const token = feedbackToken(deps.key, n.link.slice(cut), recipientId);
  if (deps.tokens && n.feedback)
    await deps.tokens.issue({
      kommune: n.kommune,
      survey: n.feedback.survey,
      stepClosedFrom: n.feedback.step,
      month: screeningMonth(new Date(n.createdAt)),
      token,
      expiresAt: n.feedback.expiresAt,
    });
  const link = `${n.link.slice(0, cut)}${token}`;
  return { ...n, link: link.startsWith('/') ? `${deps.baseUrl}${link}` : link };
}
