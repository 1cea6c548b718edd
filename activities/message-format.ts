/**
 * A notification as one person reads it: subject, plain text and HTML (Norwegian, `lang="nb"`)
 * for e-mail, and a short text for SMS. The case's renderer (machines/case-notification.ts) has
 * already filled the case facts when the message was made; what is only known at delivery (the
 * link, the holder's display name) is filled here.
 *
 * @module
 */
import { renderForDelivery, type DeliveryValues } from '../machines/message-render';
import type { Notification } from './activity-types';

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  sms: string;
}

/** An SMS longer than this is cut (four concatenated segments of 160 characters). */
export const SMS_MAX_LENGTH = 640;

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/**
 * The message in its channels' forms, with the delivery variables filled from `values` (see
 * `renderForDelivery`); throws `MessageValueMissingError` rather than send a placeholder.
 */
export function renderMessage(n: Notification, values: DeliveryValues = {}): RenderedMessage {
  const filled = renderForDelivery(n, values);
  const subject = filled.title.replace(/\s+/g, ' ').trim();
  const body = filled.body.trim();
  // A link the body does not show yet goes below it, so the reader always gets it.
  const linkLine = n.link && !body.includes(n.link) ? n.link : undefined;
  const text = [body, linkLine].filter(Boolean).join('\n\n');
  const paragraphs = body
    .split(/\n{2,}/)
    .filter((p) => p.trim())
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`);
  if (linkLine)
    paragraphs.push(`<p><a href="${escapeHtml(linkLine)}">${escapeHtml(linkLine)}</a></p>`);
  const html = [
    '<!doctype html>',
    '<html lang="nb">',
    `<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    `<body><h1>${escapeHtml(subject)}</h1>${paragraphs.join('')}</body>`,
    '</html>',
  ].join('\n');
  const sms = [subject, text].filter(Boolean).join('\n').slice(0, SMS_MAX_LENGTH);
  return { subject, text, html, sms };
}
