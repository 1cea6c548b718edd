/**
 * A worker pointed at a namespace that lacks a search attribute the engine writes would let every
 * case that writes it stand still (its workflow task fails again and again). The check names what
 * is missing before a worker polls; against the run's real dev server.
 */
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { randomUUID } from 'node:crypto';
import {
  assertNamespaceReady,
  checkRetention,
  indexedSearchAttributes,
  NamespaceNotReady,
} from '../../runtime/namespace-check';
import { TEMPORAL_ENV } from '../support/shared-env';

let connection: Connection;

beforeAll(async () => {
  connection = await Connection.connect({ address: process.env[TEMPORAL_ENV] });
});
afterAll(() => connection?.close());

async function bareNamespace(): Promise<string> {
  const namespace = `bare-${randomUUID()}`;
  await connection.workflowService.registerNamespace({
    namespace,
    workflowExecutionRetentionPeriod: msToTs('1 day'),
  });
  return namespace;
}

test('when the namespace lacks the open-tasks attribute, the worker is refused with its name and the command that registers it', async () => {
  const namespace = await bareNamespace();
  const { SluseOpenTasks, ...rest } = indexedSearchAttributes();
  expect(SluseOpenTasks).toBeDefined();
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: rest });

  const refusal = await assertNamespaceReady(connection, namespace).catch((e: unknown) => e);
  expect(refusal).toBeInstanceOf(NamespaceNotReady);
  expect((refusal as Error).message).toBe(
    `namespace ${namespace} is not ready for cases: SluseOpenTasks is not registered ` +
      '(temporal operator search-attribute create --name SluseOpenTasks --type Int)',
  );

  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: { SluseOpenTasks },
  });
  await expect(assertNamespaceReady(connection, namespace)).resolves.toBeUndefined();
});

test('when the namespace has none of the engine attributes, every one is named', async () => {
  const namespace = await bareNamespace();
  const refusal = (await assertNamespaceReady(connection, namespace).catch(
    (e: unknown) => e,
  )) as Error;
  for (const name of Object.keys(indexedSearchAttributes()))
    expect(refusal.message).toContain(`${name} is not registered`);
});

const retentionDaysOf = async (namespace: string) =>
  Number(
    (await connection.workflowService.describeNamespace({ namespace })).config
      ?.workflowExecutionRetentionTtl?.seconds,
  ) / 86_400;

test('when the embedded server keeps closed cases one day, then the start sets the days temporal.yaml asks for, and the next start leaves it', async () => {
  const namespace = await bareNamespace();
  expect(await checkRetention(connection, namespace, 30, true)).toEqual({
    kind: 'set',
    fromDays: 1,
    days: 30,
  });
  expect(await retentionDaysOf(namespace)).toBe(30);
  expect(await checkRetention(connection, namespace, 30, true)).toEqual({ kind: 'kept', days: 30 });
});

test('when a cluster someone else runs keeps closed cases fewer days than asked, then it is reported and not changed; longer is left alone', async () => {
  const namespace = await bareNamespace();
  expect(await checkRetention(connection, namespace, 30, false)).toEqual({
    kind: 'shorter',
    days: 1,
    wantedDays: 30,
  });
  expect(await retentionDaysOf(namespace)).toBe(1);
  expect(await checkRetention(connection, namespace, 1, false)).toEqual({ kind: 'kept', days: 1 });
});
