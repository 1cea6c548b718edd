/**
 * Which channels messages go out on, from the environment:
 * - `SMTP_URL` (`smtp://user:pass@host:587`, `smtps://…`): the e-mail server. Unset, `npm start`
 *   runs the embedded mail catcher (runtime/mail-catcher.ts) and sends there.
 * - `SMTP_FROM`: the sender (default `Sluse <ikke-svar@sluse.invalid>`).
 * - `SMS_GATEWAY_URL`: the HTTP gateway SMS are POSTed to; unset, no SMS are sent.
 * - `SMS_GATEWAY_AUTH`: the `Authorization` header value (`Bearer …`, `Basic …`).
 * - `SMS_SENDER`: the sender name phones show (default `Sluse`; 1–11 letters and digits).
 * - `SMS_BODY_TEMPLATE`: the request body, JSON with `{{to}}`, `{{from}}`, `{{text}}` in its
 *   strings (default `{"to":"{{to}}","from":"{{from}}","text":"{{text}}"}`).
 *
 * @module
 */
import {
  DEFAULT_SMS_BODY_TEMPLATE,
  smsBody,
  smsGatewayChannel,
  smtpChannel,
  type Channels,
  type SmsGatewaySettings,
} from '../activities/channels';
import { SettingsError } from './temporal-settings';

export interface ChannelSettings {
  /** Unset: no SMTP server is configured (npm start then runs the catcher). */
  smtpUrl?: string;
  from: string;
  sms?: SmsGatewaySettings;
}

export const DEFAULT_SMTP_FROM = 'Sluse <ikke-svar@sluse.invalid>';

export function loadChannelSettings(env: NodeJS.ProcessEnv = process.env): ChannelSettings {
  const smtpUrl = env.SMTP_URL?.trim() || undefined;
  if (smtpUrl && !/^smtps?:\/\/[^\s]+$/.test(smtpUrl))
    throw new SettingsError('SMTP_URL: expected smtp://host:port or smtps://host:port');
  const from = env.SMTP_FROM?.trim() || DEFAULT_SMTP_FROM;
  const url = env.SMS_GATEWAY_URL?.trim();
  let sms: SmsGatewaySettings | undefined;
  if (url) {
    if (!/^https?:\/\//.test(url))
      throw new SettingsError('SMS_GATEWAY_URL: expected an http:// or https:// URL');
    const sender = env.SMS_SENDER?.trim() || 'Sluse';
    if (!/^[A-Za-z0-9]{1,11}$/.test(sender) && !/^\+?[0-9]{3,15}$/.test(sender))
      throw new SettingsError('SMS_SENDER: 1–11 letters and digits, or a phone number');
    const bodyTemplate = env.SMS_BODY_TEMPLATE?.trim() || DEFAULT_SMS_BODY_TEMPLATE;
    try {
      smsBody(bodyTemplate, { to: '', from: '', text: '' });
    } catch {
      throw new SettingsError('SMS_BODY_TEMPLATE: expected JSON');
    }
    if (!bodyTemplate.includes('{{to}}') || !bodyTemplate.includes('{{text}}'))
      throw new SettingsError('SMS_BODY_TEMPLATE: must use {{to}} and {{text}}');
    sms = { url, sender, bodyTemplate, authorization: env.SMS_GATEWAY_AUTH?.trim() || undefined };
  }
  return { smtpUrl, from, sms };
}

/** The channels for these settings; `smtpUrl` stands in for `SMTP_URL` (the embedded catcher's). */
export function channelsFor(settings: ChannelSettings, smtpUrl = settings.smtpUrl): Channels {
  return {
    ...(smtpUrl && { email: smtpChannel({ url: smtpUrl, from: settings.from }) }),
    ...(settings.sms && { sms: smsGatewayChannel(settings.sms) }),
  };
}
