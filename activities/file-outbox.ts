import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openJson, sealJson, type Sealer } from '../runtime/key-ring';
import type { Notification } from './activity-types';

const SUFFIX = '.sealed';

/**
 * The embedded notification outbox: one sealed file per notification (recipients' ids are
 * personal data), readable by this process's user only, named by its idempotency key and
 * written atomically. Delivering the same key twice leaves one file: retries and replays after
 * a crash cannot duplicate a message.
 */
export class FileOutbox {
  constructor(
    private readonly dir: string,
    private readonly sealer: Sealer,
  ) {}

  async put(n: Notification): Promise<'stored' | 'duplicate'> {
    const folder = join(this.dir, n.kommune);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const file = join(folder, `${fileName(n.key)}${SUFFIX}`);
    const tmp = `${file}.${process.pid}.tmp`;
    const sealed = sealJson(this.sealer, n);
    try {
      await writeFile(tmp, sealed, { flag: 'wx', mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      await writeFile(tmp, sealed, { mode: 0o600 });
    }
    const existed = await readFile(file).then(
      () => true,
      () => false,
    );
    await rename(tmp, file);
    return existed ? 'duplicate' : 'stored';
  }

  /** Notifications of a kommune, optionally of one case, oldest first. */
  async list(kommune: string, caseId?: string): Promise<Notification[]> {
    const folder = join(this.dir, kommune);
    const files = await readdir(folder).catch(() => [] as string[]);
    const all = await Promise.all(
      files
        .filter((f) => f.endsWith(SUFFIX))
        .map(async (f) => openJson<Notification>(this.sealer, await readFile(join(folder, f)))),
    );
    return all
      .filter((n) => !caseId || n.caseId === caseId)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.key.localeCompare(b.key));
  }
}

/** Keys hold `/`; keep file names flat and reversible. */
function fileName(key: string): string {
  return encodeURIComponent(key);
}
