/**
 * Who issues the API's bearer tokens. With `SLUSE_OIDC_ISSUER` and `SLUSE_OIDC_JWKS_URL` the
 * kommune's OIDC provider does; with neither, the embedded development issuer (a key pair in
 * the data folder, see `dev-issuer.ts`) does, so `npm start` works with no settings.
 *
 * @module
 */
import { SettingsError } from '../runtime/temporal-settings';

export const DEV_ISSUER = 'urn:sluse:dev-issuer';
export const DEFAULT_AUDIENCE = 'sluse-api';

export type AuthSettings =
  | { kind: 'oidc'; issuer: string; jwksUrl: URL; audience: string }
  | { kind: 'dev'; issuer: typeof DEV_ISSUER; audience: string };

/**
 * @example
 * loadAuthSettings({ SLUSE_OIDC_ISSUER: 'https://id.example.no', SLUSE_OIDC_JWKS_URL: 'https://id.example.no/jwks' })
 */
export function loadAuthSettings(env: NodeJS.ProcessEnv = process.env): AuthSettings {
  const issuer = env.SLUSE_OIDC_ISSUER?.trim();
  const jwks = env.SLUSE_OIDC_JWKS_URL?.trim();
  const audience = env.SLUSE_OIDC_AUDIENCE?.trim() || DEFAULT_AUDIENCE;
  if (!issuer && !jwks) return { kind: 'dev', issuer: DEV_ISSUER, audience };
  if (!issuer || !jwks)
    throw new SettingsError('SLUSE_OIDC_ISSUER and SLUSE_OIDC_JWKS_URL must be set together');
  let jwksUrl: URL;
  try {
    jwksUrl = new URL(jwks);
  } catch {
    throw new SettingsError(`SLUSE_OIDC_JWKS_URL: not a URL: "${jwks}"`);
  }
  if (
    jwksUrl.protocol !== 'https:' &&
    !['localhost', '127.0.0.1', '[::1]'].includes(jwksUrl.hostname)
  ) {
    throw new SettingsError('SLUSE_OIDC_JWKS_URL: must be https (plain http only for localhost)');
  }
  return { kind: 'oidc', issuer, jwksUrl, audience };
}
