import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';

/**
 * The one structured logger: one JSON line per entry with the keys of Powertools' logger,
 * which kansa used before (`npm run bench`'s libraries section holds these lines to its
 * output): level, message, timestamp, service, then the invocation's Lambda context
 * (cold_start, function_arn, function_memory_size, function_name, function_request_id),
 * sampling_rate, xray_trace_id and correlation_id, then the entry's own keys; keys whose
 * value is undefined, null or '' are left out. Errors anywhere in an entry are written as
 * name, location, message, stack (and cause, and their own keys). INFO and DEBUG go to
 * stdout, WARN and above to stderr, straight to the streams (the Lambda runtime's console
 * would put its own text before each line), unless POWERTOOLS_DEV is set: then through
 * the console, indented (vitest keeps each test's console output).
 *
 * The level is POWERTOOLS_LOG_LEVEL (set by the CDK app, cdk/constructs/app-function.ts),
 * else LOG_LEVEL, else INFO; AWS_LAMBDA_LOG_LEVEL (Lambda's advanced logging controls)
 * wins over both and over `setLogLevel`. POWERTOOLS_LOGGER_SAMPLE_RATE logs a share of
 * invocations at DEBUG.
 */

const thresholds = { TRACE: 6, DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, CRITICAL: 24, SILENT: 28 } as const;
export type LogLevel = keyof typeof thresholds;

type Env = Record<string, string | undefined>;

const levelOf = (name: string | undefined): LogLevel | undefined => {
  const upper = name?.trim().toUpperCase();
  const level = upper === 'FATAL' ? 'CRITICAL' : upper;
  return level !== undefined && Object.hasOwn(thresholds, level) ? (level as LogLevel) : undefined;
};

/** An environment flag as Powertools reads it ('1', 'y', 'yes', 't', 'true', 'on'). */
export const isTrue = (value: string | undefined): boolean =>
  ['1', 'y', 'yes', 't', 'true', 'on'].includes(value?.trim().toLowerCase() ?? '');

/** Keys an entry's own attributes cannot overwrite. */
const reserved = new Set(['level', 'message', 'sampling_rate', 'service', 'timestamp']);

/** The X-Ray trace id of the invocation (Lambda sets `_X_AMZN_TRACE_ID` for each). */
function xrayTraceId(): string | undefined {
  const header = process.env._X_AMZN_TRACE_ID ?? '';
  if (header === '') return undefined;
  if (!header.includes('=')) return header;
  return header
    .split(';')
    .map((field) => field.split('='))
    .find(([key]) => key === 'Root')?.[1];
}

/** The first `(file:line:column)` of a stack, as `file:line`. */
function codeLocation(stack: string | undefined): string {
  for (const line of stack?.split('\n') ?? []) {
    const at = /\(([^()]*?):(\d+?):(\d+?)\)\\?$/.exec(line);
    if (at) return `${at[1]}:${Number(at[2])}`;
  }
  return '';
}

/** A dotted path's value (`requestContext.requestId`): the only form of correlation id path kansa uses. */
const atPath = (path: string, data: unknown): unknown =>
  path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | null | undefined)?.[key], data);

export class Logger {
  /** Lambda's advanced logging controls: when set, the level is theirs. */
  readonly #lambdaLevel: LogLevel | undefined;
  #level: LogLevel;
  readonly #sampleRate: number;
  #sampled = false;
  /** Only an on-demand environment reports a cold start (not provisioned concurrency, nor a process outside Lambda). */
  #coldStart: boolean;
  /** The Lambda context keys of the invocation under way (of the last one, between invocations). */
  #invocation: Record<string, unknown> = {};
  #correlationId: unknown;
  readonly #dev: boolean;

  constructor(
    private readonly service: string,
    env: Env = process.env,
  ) {
    this.#lambdaLevel = levelOf(env.AWS_LAMBDA_LOG_LEVEL);
    this.#level = levelOf(env.POWERTOOLS_LOG_LEVEL || env.LOG_LEVEL) ?? 'INFO';
    const rate = Number(env.POWERTOOLS_LOGGER_SAMPLE_RATE ?? 0);
    this.#sampleRate = rate >= 0 && rate <= 1 ? rate : 0;
    this.#coldStart = env.AWS_LAMBDA_INITIALIZATION_TYPE?.trim() === 'on-demand';
    this.#dev = isTrue(env.POWERTOOLS_DEV);
  }

  /** Lowers or raises the level (e.g. the job CLI's WARN); Lambda's advanced logging controls, when set, keep theirs. */
  setLogLevel(level: LogLevel): void {
    this.#level = level;
  }

  get level(): LogLevel {
    return this.#lambdaLevel ?? this.#level;
  }

  /** At the start of an invocation: its Lambda context on every line, and whether it is one of the sampled at DEBUG. */
  addContext(context: Context): void {
    this.#invocation = {
      cold_start: this.#coldStart,
      function_arn: context.invokedFunctionArn,
      function_memory_size: context.memoryLimitInMB,
      function_name: context.functionName,
      function_request_id: context.awsRequestId,
    };
    this.#coldStart = false;
    this.#sampled = this.#sampleRate > 0 && Math.random() <= this.#sampleRate;
  }

  /** The invocation's correlation id (API Gateway's request id), on every line until `resetKeys`. */
  setCorrelationId(value: unknown): void {
    this.#correlationId = value;
  }

  resetKeys(): void {
    this.#correlationId = undefined;
  }

  debug(message: string, attributes?: Record<string, unknown>): void {
    this.#write('DEBUG', message, attributes);
  }
  info(message: string, attributes?: Record<string, unknown>): void {
    this.#write('INFO', message, attributes);
  }
  warn(message: string, attributes?: Record<string, unknown>): void {
    this.#write('WARN', message, attributes);
  }
  error(message: string, attributes?: Record<string, unknown>): void {
    this.#write('ERROR', message, attributes);
  }

  #threshold(): number {
    const level = thresholds[this.level];
    return this.#sampled && this.#lambdaLevel === undefined ? Math.min(level, thresholds.DEBUG) : level;
  }

  #write(level: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR', message: string, attributes: Record<string, unknown> = {}): void {
    if (thresholds[level] < this.#threshold()) return;
    const entry: Record<string, unknown> = {
      level,
      message,
      timestamp: new Date().toISOString(),
      service: this.service,
      ...this.#invocation,
      sampling_rate: this.#sampleRate,
      xray_trace_id: xrayTraceId(),
      correlation_id: this.#correlationId,
    };
    for (const [key, value] of Object.entries(attributes)) if (!reserved.has(key)) entry[key] = value;
    for (const key of Object.keys(entry)) if (entry[key] === undefined || entry[key] === null || entry[key] === '') delete entry[key];
    const line = JSON.stringify(entry, this.#replacer(), this.#dev ? 4 : 0);
    if (this.#dev) console[level.toLowerCase() as Lowercase<typeof level>](line);
    else (thresholds[level] >= thresholds.WARN ? process.stderr : process.stdout).write(`${line}\n`);
  }

  /** Errors as their fields, bigints as text, and a value that holds itself written once. */
  #replacer(): (this: unknown, key: string, value: unknown) => unknown {
    const ancestors: unknown[] = [];
    const formatError = (error: Error): Record<string, unknown> => {
      const { name, message, stack, cause, ...own } = error as Error & Record<string, unknown>;
      return {
        name,
        location: codeLocation(stack),
        message,
        stack: this.#dev && typeof stack === 'string' ? stack.split('\n') : stack,
        cause: cause instanceof Error ? formatError(cause) : cause,
        ...own,
      };
    };
    return function (this: unknown, _key: string, value: unknown): unknown {
      const replaced = value instanceof Error ? formatError(value) : value;
      if (typeof replaced === 'bigint') return replaced.toString();
      if (typeof replaced === 'object' && replaced !== null) {
        while (ancestors.length > 0 && ancestors.at(-1) !== this) ancestors.pop();
        if (ancestors.includes(replaced)) return undefined;
        ancestors.push(replaced);
      }
      return replaced;
    };
  }
}

/** The functions' logger. */
export const logger = new Logger(process.env.SERVICE_NAME ?? 'kansa');

/**
 * Every line of an invocation carries its Lambda context (and, with `correlationIdPath`,
 * the event's value there as correlation_id, e.g. API Gateway's request id); the
 * correlation id is dropped as the invocation ends, answered or failed.
 */
export function injectLambdaContext(target: Logger, options: { correlationIdPath?: string } = {}): MiddlewareObj {
  const reset = () => target.resetKeys();
  return {
    before: (request) => {
      target.addContext(request.context);
      if (options.correlationIdPath !== undefined) target.setCorrelationId(atPath(options.correlationIdPath, request.event));
    },
    after: reset,
    onError: reset,
  };
}
