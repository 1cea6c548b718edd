import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openJson, sealJson, type Sealer } from '../runtime/key-ring';
import type { CaseRecord } from './activity-types';

/**
 * The embedded archive: the complete record of each closed case (state and the whole log) as
 * one sealed file, readable by this process's user only. Sealed with the data key that is
 * current when written; after a rotation the old key, kept in the ring, still opens it.
 */
export class FileArchive {
  constructor(
    private readonly dir: string,
    private readonly sealer: Sealer,
  ) {}

  async put(record: CaseRecord): Promise<void> {
    const folder = join(this.dir, record.kommune);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const file = this.file(record.kommune, record.caseId);
    const tmp = `${file}.${process.pid}.tmp`;
    // A fresh file, so the mode is ours and never that of a leftover.
    await rm(tmp, { force: true });
    await writeFile(tmp, sealJson(this.sealer, record), { flag: 'wx', mode: 0o600 });
    await rename(tmp, file);
  }

  async get(kommune: string, caseId: string): Promise<CaseRecord | null> {
    const sealed = await readFile(this.file(kommune, caseId)).catch(
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return null;
        throw err;
      },
    );
    return sealed && openJson<CaseRecord>(this.sealer, sealed);
  }

  /** Deletes a case's record; whether there was one. */
  async delete(kommune: string, caseId: string): Promise<boolean> {
    return rm(this.file(kommune, caseId)).then(
      () => true,
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return false;
        throw err;
      },
    );
  }

  private file(kommune: string, caseId: string): string {
    return join(this.dir, kommune, `${encodeURIComponent(caseId)}.sealed`);
  }
}
