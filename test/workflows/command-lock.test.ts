/**
 * The lock commands take (workflows/case-commands.ts): a command that awaits (a capacity count)
 * holds it, and one sent meanwhile waits its turn rather than running at once beside it.
 */
import { commandLock } from '../../workflows/case-commands';
import type { CasePatches } from '../../workflows/patches';

const newRun: CasePatches = () => true;

test('when no command holds the lock, then a command may run at once; while one awaits under it, the next waits its turn and runs after', async () => {
  const lock = commandLock(newRun);
  expect(lock.free()).toBe(true);

  const order: string[] = [];
  let countDone!: () => void;
  const handover = lock.exclusive(async () => {
    order.push('handover counts');
    await new Promise<void>((resolve) => (countDone = resolve));
    order.push('handover commits');
  });
  expect(lock.free()).toBe(false);
  const later = lock.exclusive(async () => {
    order.push('later command');
  });
  await new Promise((r) => setImmediate(r));
  expect(order).toEqual(['handover counts']);
  expect(lock.free()).toBe(false);

  countDone();
  await Promise.all([handover, later]);
  expect(order).toEqual(['handover counts', 'handover commits', 'later command']);
  expect(lock.free()).toBe(true);
});

test('when a command under the lock fails, then the lock is free again', async () => {
  const lock = commandLock(newRun);
  await expect(
    lock.exclusive(async () => {
      throw new Error('capacity full');
    }),
  ).rejects.toThrow('capacity full');
  expect(lock.free()).toBe(true);
});

test('when a run is from before sync-commands (or before async-mutex), then every command takes the lock, as its history has it', () => {
  expect(commandLock((patch) => patch !== 'sync-commands').free()).toBe(false);
  expect(commandLock(() => false).free()).toBe(false);
});
