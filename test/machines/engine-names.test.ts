/**
 * The engine's own event names and actor live in one module; no config can declare an event, a
 * step or a role that collides with them, so a log entry "sluse.reopen" always means the engine's
 * reopening.
 */
import { validateConfig } from '../../config';
import { ENGINE_ACTOR, EngineEvents, MIGRATION_EVENT, SYSTEM_ROLE } from '../../machines';
import { minimalConfig } from '../config/helpers/fixtures';

test('every reserved event name has a dot, and a config that names an event or step so is refused', () => {
  const names = [
    EngineEvents.intake,
    EngineEvents.reopen,
    EngineEvents.migrate,
    EngineEvents.capacity,
    EngineEvents.task,
    `${EngineEvents.timerPrefix}x`,
  ];
  for (const name of names) expect(name).toMatch(/^sluse\./);
  expect(MIGRATION_EVENT).toBe(EngineEvents.migrate);
  for (const name of names) {
    const withEvent = minimalConfig();
    (withEvent.events as Record<string, unknown>)[name] = withEvent.events.ASSESS;
    expect(validateConfig(withEvent).ok).toBe(false);
    const withStep = minimalConfig();
    (withStep.steps as Record<string, unknown>)[name] = withStep.steps.closed;
    expect(validateConfig(withStep).ok).toBe(false);
  }
});

test('the engine acts in the system role, which no config role can take', () => {
  expect(ENGINE_ACTOR).toEqual({ id: 'engine', role: SYSTEM_ROLE });
  const config = minimalConfig();
  (config.roles as Record<string, unknown>)[SYSTEM_ROLE] = Object.values(config.roles)[0];
  expect(validateConfig(config).ok).toBe(false);
});
