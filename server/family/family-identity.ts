/**
 * Who a signed-in family member is, without keeping who they are: the national identity number
 * (`pid`) becomes a keyed hash (HMAC with the key ring's pseudonym key), the birth date an age in
 * years, and the kommune config says which family role that is. Nothing else leaves the sign-in.
 *
 * @module
 */
import { createHmac } from 'node:crypto';
import { SettingsError } from '../../runtime/temporal-settings';
import { DEFAULT_SELF_REFERRAL_YOUTH_AGE, type KommuneConfig } from '../../config/types';

/** Where the families' identity provider is; with no FAMILY_OIDC_ISSUER the embedded one. */
export type FamilyOidcSettings =
  { kind: 'oidc'; issuer: URL; clientId: string; clientSecret: string } | { kind: 'dev' };

/**
 * @example
 * loadFamilyOidcSettings({ FAMILY_OIDC_ISSUER: 'https://idporten.no', FAMILY_OIDC_CLIENT_ID: 'x', FAMILY_OIDC_CLIENT_SECRET: 'y' })
 */
export function loadFamilyOidcSettings(env: NodeJS.ProcessEnv = process.env): FamilyOidcSettings {
  const issuer = env.FAMILY_OIDC_ISSUER?.trim();
  const clientId = env.FAMILY_OIDC_CLIENT_ID?.trim();
  const clientSecret = env.FAMILY_OIDC_CLIENT_SECRET?.trim();
  if (!issuer && !clientId && !clientSecret) return { kind: 'dev' };
  if (!issuer || !clientId || !clientSecret)
    throw new SettingsError(
      'FAMILY_OIDC_ISSUER, FAMILY_OIDC_CLIENT_ID and FAMILY_OIDC_CLIENT_SECRET must be set together',
    );
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new SettingsError(`FAMILY_OIDC_ISSUER: not a URL: "${issuer}"`);
  }
  if (url.protocol !== 'https:' && !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname))
    throw new SettingsError('FAMILY_OIDC_ISSUER: must be https (plain http only for localhost)');
  return { kind: 'oidc', issuer: url, clientId, clientSecret };
}

/** The family member's user id: `fam-` and a keyed hash of the national identity number. */
export function familyUserId(pid: string, key: Uint8Array): string {
  const mac = createHmac('sha256', key).update(`sluse-family-user\n${pid}`).digest('base64url');
  return `fam-${mac.slice(0, 32)}`;
}

/**
 * The birth date from the ID token's `birthdate`, else from the fødselsnummer itself (D-numbers
 * add 40 to the day, synthetic test numbers 40 or 80 to the month; the century from the
 * individual number). Null when neither can be read.
 */
export function birthDateOf(claims: { birthdate?: unknown; pid?: unknown }): string | null {
  if (typeof claims.birthdate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(claims.birthdate))
    return claims.birthdate;
  if (typeof claims.pid !== 'string' || !/^\d{11}$/.test(claims.pid)) return null;
  const n = claims.pid;
  let day = Number(n.slice(0, 2));
  let month = Number(n.slice(2, 4));
  const yy = Number(n.slice(4, 6));
  const individual = Number(n.slice(6, 9));
  if (day > 40) day -= 40;
  if (month > 80) month -= 80;
  else if (month > 40) month -= 40;
  let century: number;
  if (individual < 500) century = 1900;
  else if (individual >= 900 && yy >= 40) century = 1900;
  else if (individual < 750 && yy >= 54) century = 1800;
  else century = 2000;
  const date = `${century + yy}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return Number.isNaN(Date.parse(date)) ? null : date;
}

/** Whole years from `birthDate` (YYYY-MM-DD) to `today`. */
export function ageOn(birthDate: string, today: Date): number {
  const [y, m, d] = birthDate.split('-').map(Number);
  let age = today.getUTCFullYear() - y;
  if (today.getUTCMonth() + 1 < m || (today.getUTCMonth() + 1 === m && today.getUTCDate() < d))
    age -= 1;
  return age;
}

/** The age from which a young person may sign in for themselves in this kommune. */
export function youthMinAge(config: KommuneConfig): number {
  return config.selfReferral?.youthMinAge ?? DEFAULT_SELF_REFERRAL_YOUTH_AGE;
}

/**
 * The family role a person of `age` signs in as: an adult is the role that consents as a parent,
 * a young person from the kommune's youth age the role that consents as a youth. Otherwise a
 * refusal in plain bokmål.
 */
export function familyRoleFor(
  config: KommuneConfig,
  age: number,
): { ok: true; role: string } | { ok: false; nb: string } {
  const as = age >= 18 ? 'parent' : 'youth';
  const role = Object.entries(config.roles).find(
    ([, def]) => def.family === true && def.consentsAs === as,
  )?.[0];
  const minAge = youthMinAge(config);
  if (as === 'youth' && age < minAge)
    return {
      ok: false,
      nb: `Du må være minst ${minAge} år for å be om kontakt selv. Snakk med en voksen du stoler på, for eksempel en forelder, helsesykepleier eller lærer – de kan ta kontakt sammen med deg.`,
    };
  if (!role)
    return {
      ok: false,
      nb:
        as === 'parent'
          ? `${config.name} tar ikke imot innlogging for foreldre her ennå.`
          : `${config.name} tar ikke imot innlogging for ungdom her ennå. Snakk med en voksen du stoler på.`,
    };
  return { ok: true, role };
}
