/** The baselines for benchmarks: a workflow that only counts updates, as cheap as Temporal allows… */
import {
  condition,
  defineUpdate,
  patched,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { CommandAnswer, SendEventInput } from '../workflows/case-messages';
import { caseSearchAttributes as sa } from '../workflows/search-attributes';
import type { floorActivities } from './floor-activities';

export const noopUpdate = defineUpdate<number, [number]>('noop');
export const noopOpenUpdate = defineUpdate<number, []>('noopOpen');
/** The floor under a command: a command's input in, an answer of a command's shape and size out. */
export const floorCommandUpdate = defineUpdate<CommandAnswer, [SendEventInput]>('floorCommand');

export async function noopWorkflow(): Promise<void> {
  let revision = 0;
  setHandler(noopOpenUpdate, () => ++revision);
  setHandler(noopUpdate, (expected) => {
    revision = expected + 1;
    return revision;
  });
  await condition(() => false);
}

const { writeLogFloor } = proxyLocalActivities<typeof floorActivities>({
  startToCloseTimeout: '10 seconds',
});

/**
 * …and the floor under a case opening: the Temporal work an opening does, with none of Sluse's
 * own code (no machine, no validator, no lock, no store). The same input (the kommune's config),
 * one patch marker, the same search attributes upserted, a local activity taking the opening's
 * two log entries, one durable timer for the first deadline, a small answer. What an opening
 * costs above this is Sluse's code; what this costs above the no-op is what the opening asks of
 * Temporal.
 */
export async function floorWorkflow(input: FloorInput): Promise<void> {
  const without = new Set(input.without);
  if (!without.has('marker')) patched('floor');
  let logWritten: Promise<number> | undefined;
  setHandler(noopOpenUpdate, () => {
    const now = new Date();
    if (!without.has('attributes'))
      upsertSearchAttributes([
        { key: sa.kommune, value: 'lorenskog' },
        { key: sa.level, value: 1 },
        { key: sa.step, value: 'mottak' },
        { key: sa.status, value: 'open' },
        { key: sa.holder, value: PSEUDONYM },
        { key: sa.members, value: [PSEUDONYM] },
        { key: sa.nextDueAt, value: new Date(now.getTime() + WEEK) },
        { key: sa.overdue, value: false },
        { key: sa.referralSource, value: 'innbygger' },
        { key: sa.configVersion, value: 1 },
        { key: sa.path, value: ['mottak'] },
        { key: sa.lastActivityAt, value: now },
        { key: sa.openedAt, value: now },
        { key: sa.stepEnteredAt, value: now.toISOString() },
        { key: sa.escalated, value: false },
      ]);
    const at = now.toISOString();
    const entry = { at, revision: 1, actor: { id: 'bench-a', role: 'veiviser' } };
    // As an opening's log: written in the opening's task, the answer not waiting on it.
    logWritten = without.has('log')
      ? Promise.resolve(0)
      : writeLogFloor(input.caseId, [
          { ...entry, seq: 1, kind: 'opened', what: 'opened', to: 'mottak', payload: INTAKE },
          { ...entry, seq: 2, kind: 'handover', what: '— → bench-a', payload: { to: entry.actor } },
        ]);
    return 1;
  });
  if (input.answer) {
    const answer = input.answer;
    setHandler(floorCommandUpdate, (command) => ({
      ...answer,
      state: { ...answer.state, revision: command.expectedRevision + 1 },
    }));
  }
  await condition(() => logWritten !== undefined);
  await Promise.all([logWritten, without.has('timer') ? condition(() => false) : sleep(WEEK)]);
}

/** What the floor leaves out, to see what each part of an opening's Temporal work costs. */
export type FloorPart = 'config' | 'marker' | 'attributes' | 'log' | 'timer';

export interface FloorInput {
  /** The kommune's config, as a case carries it (left out with `without: ['config']`). */
  config?: unknown;
  caseId: string;
  without?: FloorPart[];
  /** A command's answer as Sluse gave it: with it, the floor also answers commands, with this. */
  answer?: CommandAnswer;
}

const WEEK = 7 * 24 * 3600_000;
const PSEUDONYM = 'p1_3kq9Zr0c8XwVbTn2LmQa7YdFhJs5uEgRiOpKzC4x';
const INTAKE = { henvendelsesgjelder: 'barn' };
