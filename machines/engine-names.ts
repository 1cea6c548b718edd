/**
 * The names the engine itself uses where a config's own would stand: the actor timers act as,
 * and the event names in `Transitioned.event` (and on the statechart's edges) for what is not a
 * config event. Config ids never contain a dot, so none of these can clash with one. One module,
 * imported by the engine, the workflow and the server's graph, so the names cannot drift apart.
 *
 * @module
 */
import { SYSTEM_ROLE, type Actor } from './types';

export const EngineEvents = {
  intake: 'sluse.intake',
  reopen: 'sluse.reopen',
  /** Followed by `<step>.<timer id>`. */
  timerPrefix: 'sluse.timer.',
  /** A case moved onto a newer config version. */
  migrate: 'sluse.migrate',
  /** A handover that waited for capacity went through. */
  capacity: 'sluse.capacity',
  /** The engine gave the holder a task, or someone completed one. */
  task: 'sluse.task',
  /** A family member asked to reopen the closed case; the holder declined it. */
  reopenRequest: 'sluse.reopenRequest',
  reopenDecline: 'sluse.reopenDecline',
} as const;

/** The engine's own actor: timers act as it. */
export const ENGINE_ACTOR: Actor = { id: 'engine', role: SYSTEM_ROLE };
