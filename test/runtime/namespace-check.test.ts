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
