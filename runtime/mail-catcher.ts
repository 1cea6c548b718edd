/**
 * The embedded mail catcher `npm start` runs when no `SMTP_URL` is set: an SMTP server on
 * 127.0.0.1 that accepts every mail and keeps it sealed under `<data>/mail/` (mails carry
 * names and addresses, so never in clear on disk). `npm run mail:list` shows them to a
 * developer. Not a mail server: nothing is relayed.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { openJson, sealJson, type Sealer } from './key-ring';

/** A caught mail as stored. */
export interface CaughtMail {
  receivedAt: string;
  /** The envelope: who the mail was handed over for. */
  from: string;
  to: string[];
  /** The whole message (RFC 5322), for a mail parser. */
  raw: string;
}

/** A mail larger than this is refused (the messages Sluse sends are a few kilobytes). */
export const CAUGHT_MAIL_MAX_BYTES = 1024 * 1024;
const SUFFIX = '.sealed';

export interface MailCatcher {
  /** The SMTP URL the e-mail channel sends to. */
  url: string;
  stop(): Promise<void>;
}

export async function startMailCatcher(
  dir: string,
  sealer: Sealer,
  port = 0,
): Promise<MailCatcher> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    size: CAUGHT_MAIL_MAX_BYTES,
    banner: 'Sluse mail catcher (development): nothing is relayed',
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          callback(Object.assign(new Error('message too large'), { responseCode: 552 }));
          return;
        }
        const mail: CaughtMail = {
          receivedAt: new Date().toISOString(),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        };
        // Names sort by arrival; the random tail keeps two mails of one millisecond apart.
        const name = `${mail.receivedAt.replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}`;
        const file = join(dir, `${name}${SUFFIX}`);
        writeFile(`${file}.tmp`, sealJson(sealer, mail), { flag: 'wx', mode: 0o600 })
          .then(() => rename(`${file}.tmp`, file))
          .then(
            () => callback(),
            (err: Error) => callback(err),
          );
      });
    },
  });
  const address = await new Promise<{ port: number }>((resolve, reject) => {
    server.once('error', reject);
    const s = server.listen(port, '127.0.0.1', () => resolve(s.address() as { port: number }));
  });
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The caught mails, oldest first; `limit` newest at most. */
export async function readCaughtMails(
  dir: string,
  sealer: Sealer,
  limit = 50,
): Promise<CaughtMail[]> {
  const files = (await readdir(dir).catch(() => [] as string[]))
    .filter((f) => f.endsWith(SUFFIX))
    .sort()
    .slice(-limit);
  return Promise.all(
    files.map(async (f) => openJson<CaughtMail>(sealer, await readFile(join(dir, f)))),
  );
}
