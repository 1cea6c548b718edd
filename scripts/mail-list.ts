/**
 * `npm run mail:list [count]`: the mails the embedded catcher of `npm start` received (newest
 * last, 20 by default), opened with the data folder's key and read with a mail parser. For
 * developers on their own machine; with `SMTP_URL` set, mails go to that server instead.
 */
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { dataDir } from '../runtime/data-dir';
import { createSealer, loadKeyRing } from '../runtime/key-ring';
import { readCaughtMails } from '../runtime/mail-catcher';

async function main(): Promise<void> {
  const count = Math.min(Math.max(Number(process.argv[2]) || 20, 1), 500);
  const dir = dataDir();
  const mails = await readCaughtMails(join(dir, 'mail'), createSealer(loadKeyRing(dir)), count);
  if (mails.length === 0) {
    console.log('No mails caught yet (npm start catches them when SMTP_URL is not set).');
    return;
  }
  for (const mail of mails) {
    const parsed = await simpleParser(mail.raw);
    console.log(
      [
        `── ${mail.receivedAt}`,
        `Fra:   ${mail.from}`,
        `Til:   ${mail.to.join(', ')}`,
        `Emne:  ${parsed.subject ?? ''}`,
        '',
        (parsed.text ?? '').trim(),
        '',
      ].join('\n'),
    );
  }
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exitCode = 1;
});
