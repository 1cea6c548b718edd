/**
 * A large synthetic kommune config for layout tests: `steps` steps spread over BTI levels 0–3,
 * each leading on to the next two, some back down a level, and a final step. No personal data.
 */
import type { KommuneConfig, StepDef } from '../../../config/types';

export function generatedConfig(steps: number, id = 'oygarden'): KommuneConfig {
  const ids = Array.from({ length: steps }, (_, i) => `steg${String(i + 1).padStart(2, '0')}`);
  const levelOf = (i: number) => Math.min(3, Math.floor((i * 4) / steps)) as 0 | 1 | 2 | 3;
  const stepDefs: Record<string, StepDef> = {};
  ids.forEach((stepId, i) => {
    const on: StepDef['on'] = {};
    if (i + 1 < steps) on.videre = { target: ids[i + 1] };
    if (i + 2 < steps) on.hoppOver = { target: ids[i + 2] };
    if (i % 5 === 4) on.nedINiva = { target: ids[i - 3] };
    if (i % 4 === 3) on.avslutt = { target: 'avsluttet' };
    stepDefs[stepId] = {
      title: `Generert steg ${i + 1} med en lengre tittel`,
      level: levelOf(i),
      holderRole: 'koordinator',
      on,
      ...(i % 3 === 0
        ? {
            timers: [
              { id: 'frist', kind: 'deadline', after: 'P14D', onExpiry: [{ type: 'markOverdue' }] },
            ],
          }
        : {}),
    };
  });
  stepDefs.avsluttet = {
    title: 'Avsluttet',
    level: 0,
    holderRole: 'koordinator',
    final: { outcome: 'closed', reason: 'Ferdig' },
  };
  return {
    id,
    name: `Generert modell med ${steps + 1} steg`,
    roles: { koordinator: { title: 'Koordinator' } },
    referralSources: { skole: { title: 'Skole' } },
    intake: { step: ids[0], roles: ['koordinator'] },
    steps: stepDefs,
    events: {
      videre: { title: 'Gå videre', roles: ['koordinator'] },
      hoppOver: { title: 'Hopp over ett steg', roles: ['koordinator'] },
      nedINiva: { title: 'Ned i nivå', roles: ['koordinator'] },
      avslutt: { title: 'Avslutt', roles: ['koordinator'] },
    },
  };
}
