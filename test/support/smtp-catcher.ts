/** A real SMTP server for a test file: it keeps every mail it receives, parsed. */
import type { AddressObject, ParsedMail } from 'mailparser';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpCatcher {
  url: string;
  received: ParsedMail[];
  /** The first mail to `address` (with `subject`, if given), waiting up to `timeoutMs` for it. */
  mailTo(address: string, subject?: string, timeoutMs?: number): Promise<ParsedMail>;
  close(): Promise<void>;
}

/**
 * `answerAfterMs` holds each mail's final answer that long after its data arrived, as a slow
 * server does; `onData` is told when a mail's data begins.
 */
export async function startSmtpCatcher(
  options: { answerAfterMs?: number; onData?: () => void } = {},
): Promise<SmtpCatcher> {
  const received: ParsedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      options.onData?.();
      simpleParser(stream).then(
        (mail) =>
          setTimeout(() => {
            received.push(mail);
            callback();
          }, options.answerAfterMs ?? 0),
        (err: Error) => callback(err),
      );
    },
  });
  const port = await new Promise<number>((resolve) => {
    const s = smtp.listen(0, '127.0.0.1', () => resolve((s.address() as { port: number }).port));
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    async mailTo(address, subject, timeoutMs = 10_000) {
      for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
        const mail = received.find(
          (m) =>
            (m.to as AddressObject).value[0]?.address === address &&
            (subject === undefined || m.subject === subject),
        );
        if (mail) return mail;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no mail to ${address}${subject ? ` with the subject "${subject}"` : ''}`);
    },
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}
