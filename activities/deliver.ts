/**
 * Delivery of one notification to the people it names: recipients → contact details → channel
 * (the preferred one, else e-mail, else SMS; the next one when a channel is down) → send.
 * Idempotent by the notification's key: a sent mark per recipient (sealed, in the outbox) is
 * written after each hand-over and read first, so a retry or replay sends only to those not
 * reached yet.
 *
 * @module
 */
import { notifications } from '../runtime/metrics';
import { createHash } from 'node:crypto';
import type { ContactChannel, ContactDetails } from '../machines/contact';
import type { Recipient } from '../machines/recipients';
import type { Notification } from './activity-types';
import { ChannelDownError, RecipientRefusedError, type Channels } from './channels';
import type { SentMark } from './file-outbox';
import { MessageValueMissingError } from '../machines/message-render';
import { renderMessage, type RenderedMessage } from './message-format';

/** Why a message did not reach one recipient; stable codes for the case history and tasks. */
export const DeliveryErrors = {
  /** No one on the case (or in the staff directory) holds the addressed role. */
  noRecipient: 'NO_RECIPIENT',
  /** The person has neither e-mail nor mobile (family: on the case; staff: in the directory). */
  noContactDetails: 'NO_CONTACT_DETAILS',
  /** They have details, but for no channel this installation has. */
  noChannel: 'NO_CHANNEL',
  /** Every channel they can be reached on refused the address or number. */
  refused: 'REFUSED',
  /** A value the text needs is missing (the holder has no name in the staff directory): nothing is sent with a placeholder in it. */
  messageIncomplete: 'MESSAGE_VALUE_MISSING',
} as const;
export type DeliveryError = (typeof DeliveryErrors)[keyof typeof DeliveryErrors];

/** What became of the message for one recipient: the `deliverNotification` activity's result items. */
export interface RecipientResult {
  /** The person by role and pseudonymous id (`{ role: 'parent', id: 'p-1' }`); only the role when no one holds it. */
  recipient: { role: string; id?: string };
  channel: ContactChannel | null;
  status: 'sent' | 'failed';
  error?: DeliveryError;
}

/** A staff member's entry in the directory, as delivery needs it. */
export interface StaffContact extends ContactDetails {
  id: string;
  displayName: string;
}

export interface DeliveryDeps {
  channels: Channels;
  sent: {
    readSent(n: Notification): Promise<Record<string, SentMark>>;
    writeSent(n: Notification, marks: Record<string, SentMark>): Promise<void>;
  };
  /** The staff directory: one person's entry, and everyone listed with a role. */
  staff: {
    get(kommune: string, id: string): Promise<StaffContact | null>;
    withRole(kommune: string, role: string): Promise<StaffContact[]>;
  };
  now(): string;
  /**
   * The notification as one recipient gets it: a feedback link becomes their own (one answer
   * per person, not one per message). Left out, everyone gets `n` as it is.
   */
  personalise?(n: Notification, recipientId: string): Promise<Notification>;
}

/** The channels to try for a person, in order, with the address on each. */
export function channelsFor(
  contact: ContactDetails,
  channels: Channels,
): Array<{ channel: ContactChannel; address: string }> {
  const order: ContactChannel[] = [contact.preferredChannel ?? 'email', 'email', 'sms'];
  const out: Array<{ channel: ContactChannel; address: string }> = [];
  for (const channel of new Set(order)) {
    const address = channel === 'email' ? contact.email : contact.mobile;
    if (address && channels[channel]) out.push({ channel, address });
  }
  return out;
}

/** A Message-ID stable per notification and person, without their id in clear. */
function messageIdOf(n: Notification, recipientId: string): string {
  const h = createHash('sha256').update(`${n.key}\0${recipientId}`).digest('hex').slice(0, 32);
  return `<${h}@sluse>`;
}

async function recipientsOf(n: Notification, deps: DeliveryDeps): Promise<Recipient[]> {
  const resolved =
    n.recipients ??
    // A message made before recipients were resolved names its holder only.
    (n.to === 'holder' && n.toId ? [{ kind: 'staff' as const, id: n.toId, role: 'holder' }] : []);
  if (resolved.length > 0 || n.to === 'holder' || n.to === 'family') return resolved;
  // A role no one on the case holds (a leader, an escalation): everyone listed with it.
  const staff = await deps.staff.withRole(n.kommune, n.to);
  return staff.map((s) => ({ kind: 'staff' as const, id: s.id, role: n.to }));
}

/** Counts results no channel was tried for (for /metrics); those tried are counted per attempt. */
function uncounted(results: RecipientResult[]): RecipientResult[] {
  for (const r of results)
    notifications.inc({ channel: 'none', result: r.error ?? DeliveryErrors.noChannel });
  return results;
}

/**
 * Sends `n` to each recipient once. Throws `ChannelDownError` (retried by Temporal) when a
 * channel was down for someone, after marking those it reached; every other outcome is a
 * per-recipient result.
 */
export async function deliver(n: Notification, deps: DeliveryDeps): Promise<RecipientResult[]> {
  const recipients = await recipientsOf(n, deps);
  if (recipients.length === 0)
    return uncounted([
      {
        recipient: { role: n.to },
        channel: null,
        status: 'failed',
        error: DeliveryErrors.noRecipient,
      },
    ]);
  const holder = n.holderId ? await deps.staff.get(n.kommune, n.holderId) : null;
  const values = holder ? { stafettholder: holder.displayName } : {};
  let message: RenderedMessage;
  try {
    message = renderMessage(n, values);
  } catch (err) {
    if (!(err instanceof MessageValueMissingError)) throw err;
    return uncounted(
      recipients.map((r) => ({
        recipient: { role: r.role, id: r.id },
        channel: null,
        status: 'failed',
        error: DeliveryErrors.messageIncomplete,
      })),
    );
  }
  const marks = await deps.sent.readSent(n);
  const results: RecipientResult[] = [];
  let down: ChannelDownError | undefined;
  for (const r of recipients) {
    const recipient = { role: r.role, id: r.id };
    const mark = marks[r.id];
    if (mark) {
      results.push({ recipient, channel: mark.channel, status: 'sent' });
      continue;
    }
    const contact = r.kind === 'family' ? r.contact : await deps.staff.get(n.kommune, r.id);
    if (!contact?.email && !contact?.mobile) {
      results.push(
        ...uncounted([
          { recipient, channel: null, status: 'failed', error: DeliveryErrors.noContactDetails },
        ]),
      );
      continue;
    }
    const options = channelsFor(contact, deps.channels);
    const own =
      n.link && deps.personalise ? renderMessage(await deps.personalise(n, r.id), values) : message;
    let result: RecipientResult = {
      recipient,
      channel: null,
      status: 'failed',
      error: DeliveryErrors.noChannel,
    };
    // The next channel when one refuses the address or is down: the message reaches them now
    // rather than after the down channel's retries. Only when none took it is the activity
    // retried for them.
    let downForThem: ChannelDownError | undefined;
    for (const { channel, address } of options) {
      try {
        if (channel === 'email')
          await deps.channels.email!.send(address, own, messageIdOf(n, r.id));
        else await deps.channels.sms!.send(address, own);
      } catch (err) {
        if (err instanceof RecipientRefusedError) {
          notifications.inc({ channel, result: DeliveryErrors.refused });
          if (!downForThem)
            result = { recipient, channel, status: 'failed', error: DeliveryErrors.refused };
          continue;
        }
        if (err instanceof ChannelDownError) {
          notifications.inc({ channel, result: 'down' });
          downForThem = err;
          result = { recipient, channel, status: 'failed' };
          continue;
        }
        throw err;
      }
      marks[r.id] = { channel, at: deps.now() };
      await deps.sent.writeSent(n, marks);
      notifications.inc({ channel, result: 'sent' });
      result = { recipient, channel, status: 'sent' };
      downForThem = undefined;
      break;
    }
    down ??= downForThem;
    if (result.channel === null) uncounted([result]);
    results.push(result);
  }
  if (down) throw down;
  return results;
}
