/**
 * `npm run keys:reseal`: after a key rotation (a new `SLUSE_PAYLOAD_KEY`, the old one in
 * `SLUSE_PAYLOAD_OLD_KEYS`), seals every value at rest that names an older key again with the
 * current one (runtime/reseal.ts) and prints, per kind of data, how many it looked at and sealed
 * again. Once a run seals nothing more, the old key may leave `SLUSE_PAYLOAD_OLD_KEYS`. With the
 * embedded store (no `DATABASE_URL`) run it while `npm start` is stopped: PGlite belongs to one
 * process.
 */
import { dataDir } from '../runtime/data-dir';
import { createSealer, loadKeyRing } from '../runtime/key-ring';
import { logger } from '../runtime/logger';
import { resealAtRest } from '../runtime/reseal';
import { runMain } from '../runtime/supervise';
import { openDatabase } from '../store';

runMain(async () => {
  const dir = dataDir();
  const ring = loadKeyRing(dir);
  const db = await openDatabase();
  try {
    const report = await resealAtRest({
      db,
      sealer: createSealer(ring),
      currentKeyId: ring.current.id,
      dataDir: dir,
    });
    logger.info({ key: ring.current.id, report }, 'resealed at rest');
  } finally {
    await db.close();
  }
});
