/**
 * A small kommune for the config-change tests: a worry is assessed within a deadline, then
 * mapped, then closed. Small enough that every change a test makes is easy to see.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KommuneConfig } from '../../config';

export function testKommune(id: string): KommuneConfig {
  return {
    id,
    name: `Testby (${id})`,
    roles: { koordinator: { title: 'Koordinator' }, leder: { title: 'Leder', sees: 'kommune' } },
    referralSources: { skole: { title: 'Skole' } },
    templates: {
      frist: { title: 'Frist passert', body: 'Fristen i sak {{saksnummer}} er passert.' },
    },
    intake: { step: 'mottak', roles: ['koordinator'] },
    steps: {
      mottak: {
        title: 'Mottak',
        level: 0,
        holderRole: 'koordinator',
        on: { henvis: { target: 'kartlegging' }, avslutt: { target: 'avsluttet' } },
        timers: [
          {
            id: 'vurdering',
            kind: 'deadline',
            title: 'Vurdering',
            after: 'P14D',
            onExpiry: [{ type: 'notify', role: 'leder', template: 'frist' }],
          },
        ],
      },
      kartlegging: {
        title: 'Kartlegging',
        level: 1,
        holderRole: 'koordinator',
        on: { avslutt: { target: 'avsluttet' } },
        timers: [
          {
            id: 'stillstand',
            kind: 'inactivity',
            after: 'P30D',
            onExpiry: [{ type: 'notify', role: 'leder', template: 'frist' }],
          },
        ],
      },
      avsluttet: {
        title: 'Avsluttet',
        level: 0,
        holderRole: 'koordinator',
        final: { outcome: 'closed', reason: 'Ferdig' },
      },
    },
    events: {
      henvis: { title: 'Henvis til kartlegging', roles: ['koordinator'] },
      avslutt: { title: 'Avslutt', roles: ['koordinator'] },
    },
  };
}

/** A folder of seed files, one per kommune id. */
export function seedDirWith(...ids: string[]): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'sluse-seed-')), 'kommuner');
  mkdirSync(dir);
  for (const id of ids)
    writeFileSync(join(dir, `${id}.json`), JSON.stringify(testKommune(id), null, 2));
  return dir;
}
