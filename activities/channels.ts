/**
 * The two ways a message reaches a person: e-mail over SMTP (nodemailer) and SMS through an
 * HTTP gateway. A channel either hands the message over, refuses this one recipient
 * (`RecipientRefusedError`: a bad address, a number the gateway rejects), or is down
 * (`ChannelDownError`: the delivery activity throws and Temporal retries it later).
 *
 * @module
 */
import { createTransport, type Transporter } from 'nodemailer';
import type { RenderedMessage } from './message-format';

/** The channel could not take the message now (connection, timeout, 4xx/5xx of the service). */
export class ChannelDownError extends Error {
  override name = 'ChannelDownError';
}

/** The channel took the request and refused this recipient for good. */
export class RecipientRefusedError extends Error {
  override name = 'RecipientRefusedError';
}

export interface EmailChannel {
  /** Hands the mail over; `messageId` is stable per message and recipient, so duplicates can be told. */
  send(to: string, message: RenderedMessage, messageId: string): Promise<void>;
  close(): void;
}

export interface SmsChannel {
  send(to: string, message: RenderedMessage): Promise<void>;
}

export interface Channels {
  email?: EmailChannel;
  sms?: SmsChannel;
}

export interface SmtpSettings {
  /** `smtp://user:pass@host:587` or `smtps://…`; the embedded catcher's when `npm start` runs one. */
  url: string;
  /** The sender, e.g. `Eksempel kommune <ikke-svar@eksempel.kommune.no>`. */
  from: string;
}

/** Nodemailer errors that say the server took the connection but refused this recipient. */
function isRecipientRefused(err: { code?: string; responseCode?: number }): boolean {
  return err.code === 'EENVELOPE' && (err.responseCode ?? 0) >= 500;
}

export function smtpChannel(settings: SmtpSettings): EmailChannel {
  const transport: Transporter = createTransport(settings.url, {
    // Well inside the activity's ten seconds, so a hung server is a retry, not a timeout.
    connectionTimeout: 4000,
    greetingTimeout: 4000,
    socketTimeout: 7000,
  });
  return {
    async send(to, message, messageId) {
      try {
        await transport.sendMail({
          from: settings.from,
          to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId,
          headers: { 'Content-Language': 'nb' },
        });
      } catch (err) {
        const e = err as Error & { code?: string; responseCode?: number };
        if (isRecipientRefused(e))
          throw new RecipientRefusedError(`e-mail refused (${e.responseCode})`);
        throw new ChannelDownError(`e-mail channel down (${e.code ?? e.responseCode ?? 'error'})`);
      }
    },
    close: () => transport.close(),
  };
}

export interface SmsGatewaySettings {
  url: string;
  /** The whole `Authorization` header value (`Bearer …`, `Basic …`); none when the URL holds a key. */
  authorization?: string;
  /** The sender name the phone shows (at most 11 letters and digits for alphanumeric senders). */
  sender: string;
  /**
   * The request body as JSON with `{{to}}`, `{{from}}` and `{{text}}` in its string values, e.g.
   * `{"to":"{{to}}","from":"{{from}}","text":"{{text}}"}`.
   */
  bodyTemplate: string;
}

export const DEFAULT_SMS_BODY_TEMPLATE = '{"to":"{{to}}","from":"{{from}}","text":"{{text}}"}';

/**
 * The gateway request body: the template's string values filled in, so a text with quotes or
 * line breaks stays valid JSON.
 */
export function smsBody(
  template: string,
  vars: { to: string; from: string; text: string },
): unknown {
  const fillValue = (value: unknown): unknown => {
    if (typeof value === 'string')
      return value.replace(/\{\{(to|from|text)\}\}/g, (_, name: keyof typeof vars) => vars[name]);
    if (Array.isArray(value)) return value.map(fillValue);
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillValue(v)]));
    return value;
  };
  return fillValue(JSON.parse(template));
}

export function smsGatewayChannel(settings: SmsGatewaySettings): SmsChannel {
  return {
    async send(to, message) {
      let response: Response;
      try {
        response = await fetch(settings.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(settings.authorization && { authorization: settings.authorization }),
          },
          body: JSON.stringify(
            smsBody(settings.bodyTemplate, { to, from: settings.sender, text: message.sms }),
          ),
          signal: AbortSignal.timeout(7000),
        });
      } catch (err) {
        throw new ChannelDownError(`SMS gateway unreachable (${(err as Error).name})`);
      }
      await response.body?.cancel().catch(() => undefined);
      if (response.ok) return;
      // The gateway read the request and refuses this number or text; anything else (auth,
      // throttling, its own failures) is the channel's and is retried.
      if (response.status === 400 || response.status === 422)
        throw new RecipientRefusedError(`SMS refused (${response.status})`);
      throw new ChannelDownError(`SMS gateway down (${response.status})`);
    },
  };
}
