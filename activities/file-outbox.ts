import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Notification } from './activity-types';

/**
 * The embedded notification outbox: one JSON file per notification, named by its idempotency
 * key, written atomically. Delivering the same key twice leaves one file: retries and replays
 * after a crash cannot duplicate a message.
 */
export class FileOutbox {
  constructor(private readonly dir: string) {}

  async put(n: Notification): Promise<'stored' | 'duplicate'> {
    const folder = join(this.dir, n.kommune);
    await mkdir(folder, { recursive: true });
    const file = join(folder, `${fileName(n.key)}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      await writeFile(tmp, JSON.stringify(n), { flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      await writeFile(tmp, JSON.stringify(n));
    }
    const existed = await readFile(file).then(() => true, () => false);
    await rename(tmp, file);
    return existed ? 'duplicate' : 'stored';
  }

  /** Notifications of a kommune, optionally of one case, oldest first. */
  async list(kommune: string, caseId?: string): Promise<Notification[]> {
    const folder = join(this.dir, kommune);
    const files = await readdir(folder).catch(() => [] as string[]);
    const all = await Promise.all(
      files.filter((f) => f.endsWith('.json')).map(async (f) => JSON.parse(await readFile(join(folder, f), 'utf8')) as Notification),
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
