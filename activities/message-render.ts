/**
 * A notification as one person reads it: subject, plain text and HTML (Norwegian, `lang="nb"`)
 * for e-mail, and a short text for SMS. The case's renderer (machines/case-notification.ts) has
 * already filled the case facts when the message was made; what is only known at delivery (the
 * link, later the holder's display name) is filled here, in `deliveryVariables`.
 *
 * @module
 */
import type { Notification } from './activity-types';

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  sms: string;
}

/** An SMS longer than this is cut (four concatenated segments of 160 characters). */
export const SMS_MAX_LENGTH = 640;

/**
 * The seam for delivery-time variables: the values a template's `{{name}}` may still hold when
 * the message reaches delivery. Today the link; the holder's display name and the kommune's
 * name come here when the templates use them.
 */
export function deliveryVariables(n: Notification): Record<string, string> {
  return n.link ? { link: n.link } : {};
}

function fill(text: string, vars: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) =>
    Object.hasOwn(vars, name) ? vars[name] : whole,
  );
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

export function renderMessage(n: Notification): RenderedMessage {
  const vars = deliveryVariables(n);
  const subject = fill(n.title, vars).replace(/\s+/g, ' ').trim();
  const body = fill(n.body, vars).trim();
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
