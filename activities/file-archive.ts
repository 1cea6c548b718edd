import { mkdir, rename, writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CaseRecord } from './activity-types';

/** The embedded archive: the complete record of each closed case as one JSON file. */
export class FileArchive {
  constructor(private readonly dir: string) {}

  async put(record: CaseRecord): Promise<void> {
    const folder = join(this.dir, record.kommune);
    await mkdir(folder, { recursive: true });
    const file = join(folder, `${encodeURIComponent(record.caseId)}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(record, null, 2));
    await rename(tmp, file);
  }

  async get(kommune: string, caseId: string): Promise<CaseRecord | null> {
    const file = join(this.dir, kommune, `${encodeURIComponent(caseId)}.json`);
    return readFile(file, 'utf8').then((t) => JSON.parse(t) as CaseRecord, () => null);
  }
}
