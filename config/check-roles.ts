/**
 * Semantic check of what roles may see: a family role (parents, youth) sees only its own
 * family's cases, so it can never also see the whole kommune, nor read who read every case.
 */
import type { ConfigError } from './config-error';
import type { KommuneConfig } from './types';
import { pointer } from './json-pointer';

export function checkRoles(config: KommuneConfig): ConfigError[] {
  const family = Object.entries(config.roles).filter(([, role]) => role.family === true);
  return [
    ...family
      .filter(([, role]) => role.sees === 'kommune')
      .map(([id]) => ({
        path: pointer('roles', id, 'sees'),
        message: `role "${id}" is a family role and cannot see the whole kommune`,
        code: 'FAMILY_ROLE_SEES_KOMMUNE' as const,
        nb: `Rollen «${id}» er en familierolle og kan ikke se hele kommunen; den ser bare sin egen families saker. Fjern «sees» eller «family».`,
        hint: 'a family role sees only its own family\'s cases: remove "sees", or "family"',
      })),
    ...family
      .filter(([, role]) => role.auditsAccess === true)
      .map(([id]) => ({
        path: pointer('roles', id, 'auditsAccess'),
        message: `role "${id}" is a family role and cannot read who read the kommune's cases`,
        code: 'FAMILY_ROLE_AUDITS_ACCESS' as const,
        nb: `Rollen «${id}» er en familierolle og kan ikke lese hvem som har lest kommunens saker. Fjern «auditsAccess» eller «family».`,
        hint: 'remove "auditsAccess", or "family"',
      })),
  ];
}
