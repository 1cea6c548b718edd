/**
 * The tracing settings (runtime/tracing.ts): off unless asked for, to this machine unless told
 * otherwise, and a wrong value stops the start with the setting named.
 */
import { DEFAULT_TRACES_ENDPOINT, loadTracingSettings } from '../../runtime/tracing';
import { SettingsError } from '../../runtime/temporal-settings';

test('when nothing is set, or SLUSE_TRACING=off, then there is no tracing', () => {
  expect(loadTracingSettings({})).toBeUndefined();
  expect(
    loadTracingSettings({ SLUSE_TRACING: 'off', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x:4318' }),
  ).toBeUndefined();
});

test('when SLUSE_TRACING=otlp with no endpoint, then spans go to a collector on this machine only', () => {
  expect(loadTracingSettings({ SLUSE_TRACING: 'otlp' })).toEqual({
    endpoint: DEFAULT_TRACES_ENDPOINT,
  });
  expect(new URL(DEFAULT_TRACES_ENDPOINT).hostname).toBe('127.0.0.1');
});

test('when an OTLP endpoint is set, then traces go to its /v1/traces, and a traces endpoint of its own wins', () => {
  expect(
    loadTracingSettings({
      SLUSE_TRACING: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.kommune.example:4318/',
    }),
  ).toEqual({ endpoint: 'https://otel.kommune.example:4318/v1/traces' });
  expect(
    loadTracingSettings({
      SLUSE_TRACING: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.kommune.example:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://spor.kommune.example/traces',
    }),
  ).toEqual({ endpoint: 'https://spor.kommune.example/traces' });
});

test('when a tracing setting is wrong, then the start is refused naming the setting', () => {
  const refusal = (env: NodeJS.ProcessEnv) => {
    try {
      loadTracingSettings(env);
    } catch (err) {
      return err instanceof SettingsError ? err.message : `not a SettingsError: ${String(err)}`;
    }
    return 'accepted';
  };
  expect(refusal({ SLUSE_TRACING: 'jaeger' })).toMatch(/^SLUSE_TRACING: expected "otlp" or "off"/);
  expect(refusal({ SLUSE_TRACING: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'otel:4318' })).toMatch(
    /^OTEL_EXPORTER_OTLP_ENDPOINT: expected an http\(s\) URL/,
  );
  expect(
    refusal({ SLUSE_TRACING: 'otlp', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'ftp://x/traces' }),
  ).toMatch(/^OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: expected an http\(s\) URL/);
});
