/**
 * A case's config goes to Temporal as a reference to its published version, and comes back to
 * the workflow as exactly the bytes that were sent — or the workflow task fails and waits.
 */
import type { Payload } from '@temporalio/common';
import { defaultPayloadConverter } from '@temporalio/common';
import { loadConfigDir, type KommuneConfig } from '../../config';
import { ConfigReferences, type PublishedVersion } from '../../runtime/config-references';
import { caseWorkflowId } from '../../workflows/search-attributes';
import { startApiStack, type ApiStack } from '../server/api-stack';
import { CaseClient } from '../server/case-client';

jest.setTimeout(120_000);

const seeds = loadConfigDir().configs;
const lorenskog = seeds.get('lorenskog')!;
const oygarden = seeds.get('oygarden')!;

/** A store of published versions that counts its reads. */
function storeOf(versions: Record<string, KommuneConfig>) {
  const reads: string[] = [];
  const source: PublishedVersion = async (kommune, version) => {
    reads.push(`${kommune}@${version}`);
    return versions[`${kommune}@${version}`];
  };
  return { source, reads };
}

const payloadOf = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);
const text = (payload: Payload) => Buffer.from(payload.data ?? []).toString();
const encodingOf = (payload: Payload) => Buffer.from(payload.metadata!.encoding!).toString();

describe('config references', () => {
  test('when a case input holding a remembered published config is sent, then Temporal gets the input without it and a reference, and a process that never saw it restores the same bytes from the store', async () => {
    const store = storeOf({ 'lorenskog@3': lorenskog });
    const api = new ConfigReferences(store.source);
    await api.remember('lorenskog', 3, lorenskog);
    const command = payloadOf({ type: 'varsle', expectedRevision: 3 });
    const input = payloadOf({ kommune: 'lorenskog', caseId: 'c-1', config: lorenskog, v: 3 });

    const sent = await api.encode([command, input]);
    expect(sent[0]).toBe(command);
    expect(encodingOf(sent[1])).toBe('json/config-reference');
    expect(text(sent[1])).toBe('{"kommune":"lorenskog","caseId":"c-1","config":,"v":3}');
    expect(JSON.parse(Buffer.from(sent[1].metadata!['config-reference']!).toString())).toEqual({
      kommune: 'lorenskog',
      version: 3,
      digest: expect.stringMatching(/^[\w-]{43}$/),
      at: '{"kommune":"lorenskog","caseId":"c-1","config":'.length,
    });

    const worker = new ConfigReferences(store.source);
    const restored = await worker.decode(sent);
    expect(restored[0]).toBe(command);
    expect(encodingOf(restored[1])).toBe('json/plain');
    expect(restored[1].metadata).not.toHaveProperty('config-reference');
    expect(Buffer.compare(Buffer.from(restored[1].data!), Buffer.from(input.data!))).toBe(0);
    expect(defaultPayloadConverter.fromPayload(restored[1])).toMatchObject({ config: lorenskog });
    // Read once; a replay of the same case after that is answered from memory.
    await worker.decode(sent);
    expect(store.reads.filter((r) => r === 'lorenskog@3')).toHaveLength(2);
    // What the worker restored it sends as a reference again (a run continuing as new).
    const [continued] = await worker.encode([restored[1]]);
    expect(encodingOf(continued)).toBe('json/config-reference');
    expect(text(continued)).toBe(text(sent[1]));
  });

  test('when the store holds other bytes for the version, or none, then the config is sent whole', async () => {
    const edited = { ...lorenskog, name: `${lorenskog.name} (endret)` };
    const store = storeOf({ 'lorenskog@1': edited });
    const api = new ConfigReferences(store.source);
    await api.remember('lorenskog', 1, lorenskog);
    await api.remember('oygarden', 1, oygarden);
    const config = payloadOf({ config: lorenskog });
    const [sent] = await api.encode([config]);
    expect(sent).toBe(config);
    const [other] = await api.encode([payloadOf({ config: oygarden })]);
    expect(encodingOf(other)).toBe('json/plain');
  });

  test('when a payload is not a remembered config (a command, a log, another config), then it passes unchanged', async () => {
    const api = new ConfigReferences(storeOf({ 'lorenskog@1': lorenskog }).source);
    await api.remember('lorenskog', 1, lorenskog);
    const payloads = [
      payloadOf({ type: 'varsle', expectedRevision: 3 }),
      payloadOf({ entries: Array.from({ length: 100 }, (_, i) => ({ seq: i, what: 'notat' })) }),
      // Equal as a value but not as bytes (another key order): not the one remembered.
      payloadOf(Object.fromEntries(Object.entries(lorenskog).reverse())),
      payloadOf(oygarden),
    ];
    const sent = await api.encode(payloads);
    sent.forEach((payload, i) => expect(payload).toBe(payloads[i]));
  });

  test('when a reference names a version the store lacks, or whose bytes differ, then restoring fails naming the kommune and version, and nothing is made up', async () => {
    const api = new ConfigReferences(storeOf({ 'lorenskog@2': lorenskog }).source);
    await api.remember('lorenskog', 2, lorenskog);
    const [reference] = await api.encode([payloadOf({ config: lorenskog })]);

    const empty = new ConfigReferences(storeOf({}).source);
    await expect(empty.decode([reference])).rejects.toThrow(
      'config version 2 of lorenskog: not in the store',
    );
    const changed = new ConfigReferences(
      storeOf({ 'lorenskog@2': { ...lorenskog, name: 'annet' } }).source,
    );
    await expect(changed.decode([reference])).rejects.toThrow(
      "config version 2 of lorenskog: the store's bytes are not the ones the case was sent",
    );
    await expect(new ConfigReferences().decode([reference])).rejects.toThrow(
      'this process reads no published versions',
    );
  });

  test('when a process has no store, or its store cannot answer, then it remembers nothing and sends every config whole, and asks again next time', async () => {
    const config = payloadOf({ config: lorenskog });
    const none = new ConfigReferences();
    await none.remember('lorenskog', 1, lorenskog);
    expect((await none.encode([config]))[0]).toBe(config);

    let down = true;
    const flaky = new ConfigReferences(async () => {
      if (down) throw new Error('connection refused');
      return lorenskog;
    });
    await flaky.remember('lorenskog', 1, lorenskog);
    expect((await flaky.encode([config]))[0]).toBe(config);
    down = false;
    await flaky.remember('lorenskog', 1, lorenskog);
    expect(encodingOf((await flaky.encode([config]))[0])).toBe('json/config-reference');
  });

  test('when more versions pass than a process keeps, then the least recently used is read from the store again, and remembered again when a case opens on it', async () => {
    const versions: Record<string, KommuneConfig> = {};
    for (let v = 1; v <= 70; v++) versions[`lorenskog@${v}`] = { ...lorenskog, name: `v${v}` };
    const store = storeOf(versions);
    const api = new ConfigReferences(store.source);
    const references: Payload[] = [];
    for (let v = 1; v <= 70; v++) {
      await api.remember('lorenskog', v, versions[`lorenskog@${v}`]);
      references.push((await api.encode([payloadOf({ config: versions[`lorenskog@${v}`] })]))[0]);
    }
    expect(references.every((r) => encodingOf(r) === 'json/config-reference')).toBe(true);
    store.reads.length = 0;
    const [last] = await api.decode([references[69]]);
    expect(defaultPayloadConverter.fromPayload<{ config: KommuneConfig }>(last).config.name).toBe(
      'v70',
    );
    expect(store.reads).toEqual([]);
    const [first] = await api.decode([references[0]]);
    expect(defaultPayloadConverter.fromPayload<{ config: KommuneConfig }>(first).config.name).toBe(
      'v1',
    );
    expect(store.reads).toEqual(['lorenskog@1']);
    // A case opening on a version that fell out is remembered again, not sent whole from then on.
    await api.remember('lorenskog', 2, versions['lorenskog@2']);
    const [again] = await api.encode([payloadOf({ config: versions['lorenskog@2'] })]);
    expect(encodingOf(again)).toBe('json/config-reference');
  });
});

describe('a case opened through the API', () => {
  let stack: ApiStack;
  beforeAll(async () => {
    stack = await startApiStack();
  });
  afterAll(async () => stack?.stop());

  test('when a case is opened, then its history holds a reference to the config, not the config, and the case runs on that config', async () => {
    const c = new CaseClient(stack, 'lorenskog');
    await c.open('veiviser', 'innbygger', { henvendelsesgjelder: 'barn' });
    const history = await stack.client.workflow
      .getHandle(caseWorkflowId('lorenskog', c.caseId))
      .fetchHistory();
    const started = history.events![0].workflowExecutionStartedEventAttributes!;
    const [input] = started.input!.payloads!;
    expect(encodingOf(input)).toBe('json/config-reference');
    expect(text(input)).toContain('"config":,');
    expect(text(input)).not.toContain('"roles"');
    expect(input.data!.length).toBeLessThan(1024);
    // The worker restored it: the case takes the kommune's events.
    expect((await c.send('veiviser', 'avklarSakstype', { sakstype: 'koordinator' })).step).toBe(
      'vurdering_koordinator',
    );
  });
});
