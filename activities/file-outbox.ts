import { mkdir, opendir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openJson, sealJson, type Sealer } from '../runtime/key-ring';
import type { Notification } from './activity-types';

const SUFFIX = '.sealed';
const SENT_SUFFIX = '.sent';

/** That a message reached one recipient's channel: written after the hand-over, read before. */
export interface SentMark {
  channel: 'email' | 'sms';
  at: string;
}

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

  /** Who this notification was already handed to, by recipient id (sealed: ids are personal). */
  async readSent(n: Pick<Notification, 'kommune' | 'key'>): Promise<Record<string, SentMark>> {
    const sealed = await readFile(this.sentFile(n)).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    });
    return sealed ? openJson<Record<string, SentMark>>(this.sealer, sealed) : {};
  }

  /** Replaces the sent marks of a notification; one activity attempt writes them at a time. */
  async writeSent(
    n: Pick<Notification, 'kommune' | 'key'>,
    marks: Record<string, SentMark>,
  ): Promise<void> {
    const file = this.sentFile(n);
    await mkdir(join(this.dir, n.kommune), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, sealJson(this.sealer, marks), { mode: 0o600 });
    await rename(tmp, file);
  }

  private sentFile(n: Pick<Notification, 'kommune' | 'key'>): string {
    return join(this.dir, n.kommune, `${fileName(n.key)}${SENT_SUFFIX}`);
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

  /**
   * Deletes the notifications of the given cases (keys `<workflow id>/…`, workflows/case-delivery.ts)
   * and their sent marks, in one pass over the kommune's folder; returns how many notifications
   * each case had.
   */
  async deleteOfCases(
    kommune: string,
    workflowIds: readonly string[],
  ): Promise<Map<string, number>> {
    const counts = new Map(workflowIds.map((id) => [id, 0]));
    const folder = join(this.dir, kommune);
    const dir = await opendir(folder).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    });
    if (!dir) return counts;
    for await (const entry of dir) {
      const suffix = [SUFFIX, SENT_SUFFIX].find((s) => entry.name.endsWith(s));
      if (!suffix) continue;
      const key = decodeURIComponent(entry.name.slice(0, -suffix.length));
      const owner = key.slice(0, key.indexOf('/'));
      const n = counts.get(owner);
      if (n === undefined) continue;
      await rm(join(folder, entry.name), { force: true });
      if (suffix === SUFFIX) counts.set(owner, n + 1);
    }
    return counts;
  }
}

/** Keys hold `/`; keep file names flat and reversible. */
function fileName(key: string): string {
  return encodeURIComponent(key);
}
