import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigFile } from '../../config';
import { REPO_ROOT } from './helpers/fixtures';

const dir = join(REPO_ROOT, 'config', 'kommuner');
const files = readdirSync(dir).filter((name) => name.endsWith('.json'));

describe('the kommune configs in config/kommuner', () => {
  it('when the directory is listed, then it holds the three seed models', () => {
    expect(files).toEqual(
      expect.arrayContaining(['oygarden.json', 'lorenskog.json', 'nav-holf.json']),
    );
  });

  it.each(files)('when %s is validated, then it has no errors', (name) => {
    const result = loadConfigFile(join(dir, name));
    expect(result.ok ? [] : result.errors).toEqual([]);
  });
});
