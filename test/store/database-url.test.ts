/** A wrong DATABASE_URL stops the start with a clear line that never repeats the password. */
import { openDatabase } from '../../store';

test.each(['notaurl', 'http://host/db', 'mysql://u:secret@host/db'])(
  'when DATABASE_URL is %s, then the start is refused: a PostgreSQL URL is expected',
  async (databaseUrl) => {
    const refused = openDatabase({ databaseUrl });
    await expect(refused).rejects.toThrow(/^DATABASE_URL: expected a PostgreSQL URL/);
    await expect(refused).rejects.not.toThrow(/secret/);
  },
);

test('when nothing answers at DATABASE_URL, then the error names host and port and not the password', async () => {
  const refused = openDatabase({ databaseUrl: 'postgres://u:secret@127.0.0.1:1/sluse' });
  await expect(refused).rejects.toThrow(
    'DATABASE_URL: cannot connect to 127.0.0.1:1: ECONNREFUSED',
  );
  await expect(refused).rejects.not.toThrow(/secret/);
});
