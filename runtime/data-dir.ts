import { isAbsolute, join } from 'node:path';
import { projectRoot } from './temporal-settings';

/** Where the running stack keeps its files (git-ignored): `SLUSE_DATA_DIR` or `./data`. */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.SLUSE_DATA_DIR;
  if (!dir) return join(projectRoot, 'data');
  return isAbsolute(dir) ? dir : join(projectRoot, dir);
}
