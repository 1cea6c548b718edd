/**
 * The mail catcher `npm start` runs without SMTP_URL: a mail sent to it is kept sealed under the
 * data folder (no address or text in clear on disk) and `npm run mail:list` shows it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { renderMessage } from '../../activities/message-format';
import { smtpChannel } from '../../activities';
import { createSealer, loadKeyRing } from '../../runtime/key-ring';
import { startMailCatcher } from '../../runtime/mail-catcher';

jest.setTimeout(60_000);

test('when a message is sent to the embedded catcher, then it is stored sealed and mail:list shows it in Norwegian', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sluse-mail-'));
  const sealer = createSealer(loadKeyRing(dataDir));
  const catcher = await startMailCatcher(join(dataDir, 'mail'), sealer);
  const email = smtpChannel({
    url: catcher.url,
    from: 'Øygarden kommune <ikke-svar@oygarden.example>',
  });
  try {
    await email.send(
      'foresatt@example.no',
      renderMessage({
        key: 'k/1',
        kommune: 'oygarden',
        caseId: 'c1',
        kind: 'notify',
        to: 'foresatt',
        template: 'invitasjonAvklaringssamtale',
        title: 'Invitasjon til avklaringssamtale',
        body: 'Dere inviteres til en samtale i barnehagen/skolen om hvordan barnet har det.',
        reason: 'test',
        createdAt: '2026-11-28T08:00:00.000Z',
      }),
      '<k1@sluse>',
    );
  } finally {
    email.close();
    await catcher.stop();
  }
  const files = readdirSync(join(dataDir, 'mail'));
  expect(files).toHaveLength(1);
  const onDisk = readFileSync(join(dataDir, 'mail', files[0])).toString('latin1');
  expect(onDisk).not.toMatch(/foresatt@example|avklaringssamtale|barnehagen/);

  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', join(__dirname, '../../scripts/mail-list.ts')],
    { env: { ...process.env, SLUSE_DATA_DIR: dataDir } },
  );
  expect(stdout).toContain('Til:   foresatt@example.no');
  expect(stdout).toContain('Emne:  Invitasjon til avklaringssamtale');
  expect(stdout).toContain(
    'Dere inviteres til en samtale i barnehagen/skolen om hvordan barnet har det.',
  );
});
