/** Paths and loaders shared by the config tests. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { KommuneConfig } from '../../../config';

export const REPO_ROOT = resolve(__dirname, '../../..');
export const FIXTURES_DIR = resolve(__dirname, '../fixtures');
export const BROKEN_DIR = resolve(__dirname, '../broken');
export const MINIMAL_FILE = join(FIXTURES_DIR, 'minimal.json');

/** A fresh copy of the minimal valid config, safe to mutate. */
export function minimalConfig(): KommuneConfig {
  return JSON.parse(readFileSync(MINIMAL_FILE, 'utf8')) as KommuneConfig;
}
