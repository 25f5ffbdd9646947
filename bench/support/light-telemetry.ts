import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';

/**
 * For bench/libraries.ts only: the least that writes what lib/logger.ts and lib/metrics.ts
 * write through Powertools, to weigh Powertools against it. One JSON line per log entry
 * with Powertools' keys (level, message, timestamp, service, cold_start, the Lambda
 * context's function_* keys, sampling_rate, xray_trace_id, correlation_id, then the entry's
 * own; errors as name, location, message, stack), INFO and below to stdout and WARN and
 * above to stderr, the level from POWERTOOLS_LOG_LEVEL or AWS_LAMBDA_LOG_LEVEL, the
 * sample rate from POWERTOOLS_LOGGER_SAMPLE_RATE; and CloudWatch embedded metric format
 * lines (namespace, dimension `service`, one line per invocation) for the metrics.
 */

const levels = { TRACE: 6, DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, CRITICAL: 24, SILENT: 28 } as const;
type Level = keyof typeof levels;

function levelFromEnv(): Level {
  const named = (process.env.POWERTOOLS_LOG_LEVEL ?? process.env.AWS_LAMBDA_LOG_LEVEL ?? 'INFO').toUpperCase();
  return named in levels ? (named as Level) : 'INFO';
}

function errorFields(error: Error): Record<string, unknown> {
  const at = /\((.*):(\d+):\d+\)/.exec(error.stack?.split('\n')[1] ?? '');
  return { name: error.name, location: at ? `${at[1]}:${at[2]}` : '', message: error.message, stack: error.stack };
}

export class LightLogger {
  private readonly threshold: number;
  private readonly sampleRate = Number(process.env.POWERTOOLS_LOGGER_SAMPLE_RATE ?? 0) || 0;
  private sampled = false;
  /** As Powertools: only an on-demand environment has a cold start to report. */
  private coldStart = process.env.AWS_LAMBDA_INITIALIZATION_TYPE?.trim() === 'on-demand';
  private context: Record<string, unknown> = {};
  private keys: Record<string, unknown> = {};

  constructor(private readonly service: string) {
    this.threshold = levels[levelFromEnv()];
  }

  /** At the start of an invocation: its Lambda context and correlation id, and whether it is sampled at DEBUG. */
  start(context: Context, correlationId: unknown): void {
    this.context = {
      cold_start: this.coldStart,
      function_arn: context.invokedFunctionArn,
      function_memory_size: context.memoryLimitInMB,
      function_name: context.functionName,
      function_request_id: context.awsRequestId,
    };
    this.coldStart = false;
    this.keys = correlationId === undefined ? {} : { correlation_id: correlationId };
    this.sampled = this.sampleRate > 0 && Math.random() <= this.sampleRate;
  }

  debug(message: string, extra?: Record<string, unknown>): void {
    this.write('DEBUG', message, extra);
  }
  info(message: string, extra?: Record<string, unknown>): void {
    this.write('INFO', message, extra);
  }
  warn(message: string, extra?: Record<string, unknown>): void {
    this.write('WARN', message, extra);
  }
  error(message: string, extra?: Record<string, unknown>): void {
    this.write('ERROR', message, extra);
  }

  private write(level: Level, message: string, extra: Record<string, unknown> = {}): void {
    if (levels[level] < (this.sampled ? levels.DEBUG : this.threshold)) return;
    const trace = /Root=([^;]+)/.exec(process.env._X_AMZN_TRACE_ID ?? '')?.[1];
    const own = Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, v instanceof Error ? errorFields(v) : v]));
    const line = JSON.stringify({
      level,
      message,
      timestamp: new Date().toISOString(),
      service: this.service,
      ...this.context,
      sampling_rate: this.sampleRate,
      ...(trace === undefined ? {} : { xray_trace_id: trace }),
      ...this.keys,
      ...own,
    });
    (levels[level] >= levels.WARN ? process.stderr : process.stdout).write(`${line}\n`);
  }
}

export class LightMetrics {
  private values = new Map<string, { unit: string; values: number[] }>();

  constructor(
    private readonly namespace: string,
    private readonly service: string,
  ) {}

  addMetric(name: string, unit: string, value: number): void {
    const known = this.values.get(name) ?? { unit, values: [] };
    known.values.push(value);
    this.values.set(name, known);
  }

  /** One embedded-metric-format line with what this invocation added, if anything. */
  flush(): void {
    if (this.values.size === 0) return;
    const metrics = [...this.values].map(([name, { unit }]) => ({ Name: name, Unit: unit }));
    const values = Object.fromEntries([...this.values].map(([name, m]) => [name, m.values.length === 1 ? m.values[0] : m.values]));
    this.values = new Map();
    const line = {
      _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: this.namespace, Dimensions: [['service']], Metrics: metrics }] },
      service: this.service,
      ...values,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}

/** A dotted path's value, as lib/logger.ts reads the correlation id. */
const atPath = (path: string, data: unknown): unknown =>
  path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | null | undefined)?.[key], data);

/** injectLambdaContext's part that kansa uses: the context and the correlation id on every line of the invocation. */
export function withLambdaContext(logger: LightLogger, correlationIdPath: string): MiddlewareObj {
  return { before: (request) => logger.start(request.context, atPath(correlationIdPath, request.event)) };
}

/** logMetrics's part that kansa uses: the invocation's metrics flushed as it ends, answered or failed. */
export function flushingMetrics(metrics: LightMetrics): MiddlewareObj {
  return { after: () => metrics.flush(), onError: () => metrics.flush() };
}
