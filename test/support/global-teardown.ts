/** After the last test file: stops the shared dev server globalSetup started. */
import type { DevServer } from '../../runtime/dev-server';

export default async function globalTeardown(): Promise<void> {
  const shared = (globalThis as { __sluseShared?: { server?: DevServer } }).__sluseShared;
  await shared?.server?.stop();
}
