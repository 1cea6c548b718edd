/**
 * OpenTelemetry tracing, off unless `SLUSE_TRACING=otlp`. Temporal's own interceptors
 * (`@temporalio/interceptors-opentelemetry`, one plugin on the client, the bundler and the worker)
 * make spans for a case started or updated from the API, each workflow run and each activity,
 * joined across processes through Temporal's headers.
 *
 * Spans go by OTLP over HTTP to `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, or to
 * `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`, and by default to a collector on this machine
 * (`http://127.0.0.1:4318/v1/traces`): nothing leaves the machine unless a setting sends it. They
 * carry ids and names (the random case id, workflow, update and activity types), never a payload.
 */
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';
import { SettingsError } from './temporal-settings';

export const DEFAULT_TRACES_ENDPOINT = 'http://127.0.0.1:4318/v1/traces';

export interface TracingSettings {
  /** Where spans are posted (OTLP/HTTP, JSON). */
  endpoint: string;
}

/** Reads `SLUSE_TRACING` (`otlp` or `off`, the default) and the OTLP endpoint settings. */
export function loadTracingSettings(
  env: NodeJS.ProcessEnv = process.env,
): TracingSettings | undefined {
  const mode = env.SLUSE_TRACING?.trim() || 'off';
  if (mode === 'off') return undefined;
  if (mode !== 'otlp')
    throw new SettingsError(`SLUSE_TRACING: expected "otlp" or "off", not ${JSON.stringify(mode)}`);
  const name = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
    ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'
    : 'OTEL_EXPORTER_OTLP_ENDPOINT';
  const raw = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim()
    ? env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT.trim()
    : env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()
      ? `${env.OTEL_EXPORTER_OTLP_ENDPOINT.trim().replace(/\/+$/, '')}/v1/traces`
      : DEFAULT_TRACES_ENDPOINT;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    // named below
  }
  if (!url || !/^https?:$/.test(url.protocol))
    throw new SettingsError(`${name}: expected an http(s) URL such as ${DEFAULT_TRACES_ENDPOINT}`);
  return { endpoint: url.href };
}

export interface Tracing {
  /** For the client, the workflow bundler and the worker alike. */
  plugin: OpenTelemetryPlugin;
  /** Sends the spans still batched; called before the process exits. */
  flush(): Promise<void>;
}

/** The process's tracing, or undefined when off. `service` names the process in the traces. */
export function createTracing(
  settings: TracingSettings | undefined,
  service: string,
): Tracing | undefined {
  if (!settings) return undefined;
  const resource = new Resource({ 'service.name': service });
  const processor = new BatchSpanProcessor(new OTLPTraceExporter({ url: settings.endpoint }));
  const provider = new BasicTracerProvider({ resource, spanProcessors: [processor] });
  // Global, as the interceptors need: the W3C trace context in Temporal's headers, and the span
  // of a request active across its awaits.
  provider.register({ contextManager: new AsyncLocalStorageContextManager() });
  return {
    plugin: new OpenTelemetryPlugin({
      resource,
      spanProcessor: processor,
      tracer: provider.getTracer('sluse'),
    }),
    flush: () => provider.forceFlush(),
  };
}
