/**
 * `npm run token -- --kommune <id> --role <role> [--sub <id>] [--ttl <hours>]`: prints a bearer
 * token from the embedded development issuer, for trying the API with curl. Refuses when an
 * external issuer is configured (tokens then come from the kommune's OIDC provider), and checks
 * the kommune and role against the configs so a typo fails here, not as a 403 later.
 */
import { parseArgs } from 'node:util';
import { loadConfigDir } from '../config';
import { isPersonId } from '../machines/person-id';
import { dataDir } from '../runtime/data-dir';
import { loadAuthSettings } from '../server/auth-settings';
import { loadDevIssuer } from '../server/dev-issuer';
import { PROCESS_OWNER_ROLE } from '../server/process-owner-access';

function fail(message: string): never {
  process.stderr.write(`token: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let values: { kommune?: string; role?: string; sub?: string; ttl?: string };
  try {
    ({ values } = parseArgs({
      options: {
        kommune: { type: 'string' },
        role: { type: 'string' },
        sub: { type: 'string' },
        ttl: { type: 'string' },
      },
      strict: true,
    }));
  } catch (err) {
    fail(
      `${(err as Error).message}\nusage: npm run token -- --kommune <id> --role <role> [--sub <id>] [--ttl <hours>]`,
    );
  }
  const { kommune, role } = values;
  if (!kommune || !role)
    fail('usage: npm run token -- --kommune <id> --role <role> [--sub <id>] [--ttl <hours>]');
  const auth = loadAuthSettings();
  if (auth.kind !== 'dev')
    fail(`an external issuer is configured (${auth.issuer}); get a token from it`);
  const config = loadConfigDir().configs.get(kommune);
  if (!config)
    fail(`no kommune "${kommune}"; known: ${[...loadConfigDir().configs.keys()].join(', ')}`);
  // prosesseier is the admin role that edits the config; it is not one of the config's case roles.
  if (role !== PROCESS_OWNER_ROLE && !Object.hasOwn(config.roles, role)) {
    fail(
      `"${role}" is not a role of ${kommune}; roles: ${[...Object.keys(config.roles), PROCESS_OWNER_ROLE].join(', ')}`,
    );
  }
  if (values.sub !== undefined && !isPersonId(values.sub))
    fail(
      "--sub: 1–64 letters, digits and '. _ @ : -', starting with a letter or digit (the API refuses others)",
    );
  const hours = values.ttl === undefined ? 8 : Number(values.ttl);
  if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 30)
    fail('--ttl: hours, more than 0 and at most 720');
  const issuer = await loadDevIssuer(dataDir());
  const token = await issuer.sign({
    sub: values.sub ?? `dev-${role}`,
    kommune,
    role,
    audience: auth.audience,
    ttlSeconds: Math.round(hours * 3600),
  });
  process.stdout.write(`${token}\n`);
}

main().catch((err: unknown) => fail((err as Error).message));
