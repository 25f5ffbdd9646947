import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Logger, injectLambdaContext } from '#lib/logger.js';
import { MetricUnit, Metrics, logMetrics, metricsNamespace } from '#lib/metrics.js';
import { runSummary } from '#test/support/run-summary.js';
import { pendingEvidenceMetric } from '#cdk/stacks/monitoring-stack.js';

/**
 * What the functions write for CloudWatch: JSON log lines with the keys kansa's logs
 * carry (Powertools' keys) and embedded-metric-format lines the monitoring stack's alarms
 * read. Read from the process's own stdout and stderr, as Lambda reads them.
 */

let out: string[];
let err: string[];

beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
  vi.stubEnv('_X_AMZN_TRACE_ID', 'Root=1-6789abcd-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=1');
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const lines = (chunks: string[]) =>
  chunks.flatMap((c) =>
    c
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>),
  );
const logLines = (chunks: string[]) => lines(chunks).filter((l) => !('_aws' in l));
const emfLines = (chunks: string[]) => lines(chunks).filter((l) => '_aws' in l);

const context = (requestId: string): Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'kansa-plans',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:ap-northeast-1:123456789012:function:kansa-plans',
  memoryLimitInMB: '1024',
  awsRequestId: requestId,
  logGroupName: '/aws/lambda/kansa-plans',
  logStreamName: 'stream',
  getRemainingTimeInMillis: () => 3000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/** An error made in a named function: its location is the first stack frame naming a file in parentheses. */
function failure(): Error {
  return Object.assign(new TypeError('boom', { cause: new Error('underneath') }), { code: 'E_BOOM' });
}

/** As Lambda starts a function (on demand) and lib/http/stack.ts wraps a handler: logger, then metrics. */
function plansFunction(env: Record<string, string> = {}) {
  const logger = new Logger('kansa-plans', { AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand', ...env });
  const metrics = new Metrics(metricsNamespace, 'kansa-plans', {});
  const handler = middy<{ requestContext?: { requestId: string }; fail?: boolean }>()
    .use(injectLambdaContext(logger, { correlationIdPath: 'requestContext.requestId' }))
    .use(logMetrics(metrics))
    .handler(async (event) => {
      metrics.addMetric('Requests', MetricUnit.Count, 1);
      logger.info('request', { route: 'getPlan', empty: '', none: null });
      if (event.fail) {
        const error = failure();
        logger.error('request failed', { error });
        throw error;
      }
      return { statusCode: 200 };
    });
  return { logger, metrics, handler };
}

describe('log lines', () => {
  it("carry Powertools' keys in its order, the Lambda context and correlation id, cold_start true then false", async () => {
    const { logger, handler } = plansFunction();
    await handler({ requestContext: { requestId: 'correlation-1' } }, context('request-1'));
    await handler({ requestContext: { requestId: 'correlation-2' } }, context('request-2'));
    const [first, second, ...rest] = logLines(out);
    expect(rest).toEqual([]);
    expect(Object.keys(first ?? {})).toEqual([
      'level',
      'message',
      'timestamp',
      'service',
      'cold_start',
      'function_arn',
      'function_memory_size',
      'function_name',
      'function_request_id',
      'sampling_rate',
      'xray_trace_id',
      'correlation_id',
      'route',
    ]);
    expect(first).toEqual({
      level: 'INFO',
      message: 'request',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      service: 'kansa-plans',
      cold_start: true,
      function_arn: 'arn:aws:lambda:ap-northeast-1:123456789012:function:kansa-plans',
      function_memory_size: '1024',
      function_name: 'kansa-plans',
      function_request_id: 'request-1',
      sampling_rate: 0,
      xray_trace_id: '1-6789abcd-0123456789abcdef01234567',
      correlation_id: 'correlation-1',
      route: 'getPlan',
    });
    expect(second).toMatchObject({ cold_start: false, function_request_id: 'request-2', correlation_id: 'correlation-2' });

    // The correlation id ends with its invocation; an event without the path sets none.
    logger.info('between invocations');
    await handler({}, context('request-3'));
    expect(logLines(out).slice(2)).toEqual([
      expect.not.objectContaining({ correlation_id: expect.anything() }),
      expect.objectContaining({ function_request_id: 'request-3', cold_start: false }),
    ]);
    expect(logLines(out)[3]).not.toHaveProperty('correlation_id');
    expect(err).toEqual([]);
  });

  it('outside Lambda (no on-demand initialization) report no cold start, and outside an invocation no context', () => {
    const logger = new Logger('kansa', {});
    logger.info('at import');
    logger.addContext(context('request-1'));
    logger.info('in an invocation');
    const [atImport, inInvocation] = logLines(out);
    expect(atImport).not.toHaveProperty('cold_start');
    expect(atImport).not.toHaveProperty('function_name');
    expect(inInvocation).toMatchObject({ cold_start: false, function_name: 'kansa-plans' });
  });

  it("write an error (on stderr) with its name, location, message, stack, cause and own fields; the failed invocation's metrics are still published", async () => {
    const { handler } = plansFunction();
    await expect(handler({ requestContext: { requestId: 'correlation-1' }, fail: true }, context('request-1'))).rejects.toThrow('boom');
    const [failed, ...rest] = logLines(err);
    expect(rest).toEqual([]);
    expect(failed).toMatchObject({ level: 'ERROR', message: 'request failed', cold_start: true, correlation_id: 'correlation-1' });
    const error = failed?.error as Record<string, unknown>;
    expect(Object.keys(error)).toEqual(['name', 'location', 'message', 'stack', 'cause', 'code']);
    expect(error).toMatchObject({ name: 'TypeError', message: 'boom', code: 'E_BOOM' });
    expect(error.location).toMatch(/telemetry\.test\.ts:\d+$/);
    expect(error.stack).toMatch(/^TypeError: boom\n\s+at /);
    expect(error.cause).toMatchObject({ name: 'Error', message: 'underneath', stack: expect.stringMatching(/^Error: underneath\n/) });
    expect(logLines(out).map((l) => l.level)).toEqual(['INFO']);
    expect(emfLines(out)).toHaveLength(1);
  });

  it('leave out keys whose value is empty, and write a value that holds itself once', () => {
    const logger = new Logger('kansa', {});
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    logger.info('values', { empty: '', none: null, missing: undefined, zero: 0, no: false, loop, big: 10n });
    expect(logLines(out)[0]).toMatchObject({ zero: 0, no: false, loop: { name: 'loop' }, big: '10' });
    expect(Object.keys(logLines(out)[0] ?? {})).not.toEqual(expect.arrayContaining(['empty']));
    expect(logLines(out)[0]).not.toHaveProperty('none');
  });
});

describe('log level', () => {
  it('is INFO by default: DEBUG lines are dropped', () => {
    const logger = new Logger('kansa', {});
    logger.debug('detail');
    logger.info('shown');
    expect(logLines(out).map((l) => l.message)).toEqual(['shown']);
  });

  it('comes from POWERTOOLS_LOG_LEVEL (else LOG_LEVEL); setLogLevel changes it (the job CLI)', () => {
    const logger = new Logger('kansa', { POWERTOOLS_LOG_LEVEL: 'WARN', LOG_LEVEL: 'DEBUG' });
    logger.info('dropped');
    logger.warn('kept');
    logger.error('kept too');
    logger.setLogLevel('DEBUG');
    logger.debug('now shown');
    new Logger('kansa', { LOG_LEVEL: 'error' }).warn('dropped by LOG_LEVEL');
    expect(logLines(err).map((l) => [l.level, l.message])).toEqual([
      ['WARN', 'kept'],
      ['ERROR', 'kept too'],
    ]);
    expect(logLines(out).map((l) => [l.level, l.message])).toEqual([['DEBUG', 'now shown']]);
  });

  it("is Lambda's advanced logging controls' (AWS_LAMBDA_LOG_LEVEL) when set, whatever else asks", () => {
    const logger = new Logger('kansa', { AWS_LAMBDA_LOG_LEVEL: 'ERROR', POWERTOOLS_LOG_LEVEL: 'DEBUG' });
    logger.warn('dropped');
    logger.setLogLevel('INFO');
    logger.info('dropped too');
    logger.error('kept');
    expect(logLines(err).map((l) => l.message)).toEqual(['kept']);
    expect(out).toEqual([]);
  });

  it('CRITICAL or SILENT drop every line (the local stack and the tests run at CRITICAL)', () => {
    for (const level of ['CRITICAL', 'SILENT']) new Logger('kansa', { POWERTOOLS_LOG_LEVEL: level }).error('dropped');
    expect(err).toEqual([]);
  });

  it('with POWERTOOLS_DEV, lines go through the console (where vitest keeps them), indented', () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    new Logger('kansa', { POWERTOOLS_DEV: 'true' }).info('to the console');
    expect(out).toEqual([]);
    expect(info).toHaveBeenCalledTimes(1);
    expect(info.mock.calls[0]?.[0]).toMatch(/^\{\n {4}"level": "INFO",\n {4}"message": "to the console"/);
  });
});

describe('metric lines (CloudWatch embedded metric format)', () => {
  it('one line per invocation, in namespace kansa with dimension service, each metric with its unit', async () => {
    const { handler } = plansFunction();
    await handler({ requestContext: { requestId: 'correlation-1' } }, context('request-1'));
    expect(emfLines(out)).toEqual([
      {
        _aws: {
          Timestamp: expect.any(Number),
          CloudWatchMetrics: [{ Namespace: 'kansa', Dimensions: [['service']], Metrics: [{ Name: 'Requests', Unit: 'Count' }] }],
        },
        service: 'kansa-plans',
        Requests: 1,
      },
    ]);
    expect(Object.keys(emfLines(out)[0] ?? {})).toEqual(['_aws', 'service', 'Requests']);
    expect(Math.abs(((emfLines(out)[0]?._aws as { Timestamp: number }).Timestamp ?? 0) - Date.now())).toBeLessThan(5000);
  });

  it("a duty run's measure reaches the alarm's metric: its namespace, its name, the service dimension", async () => {
    // The functions' own publisher, as it is made in Lambda (the tests' POWERTOOLS_DEV turns it off otherwise).
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    vi.stubEnv('SERVICE_NAME', 'kansa-jobs');
    vi.resetModules();
    const { publishRunMetrics } = await import('#lib/jobs/handler.js');
    const summary = runSummary({ metrics: { [pendingEvidenceMetric]: 26.5 } });
    publishRunMetrics(summary);
    const [line, ...rest] = emfLines(out);
    expect(rest).toEqual([]);
    expect(line?._aws).toMatchObject({
      CloudWatchMetrics: [
        { Namespace: metricsNamespace, Dimensions: [['service']], Metrics: [{ Name: pendingEvidenceMetric, Unit: 'None' }] },
      ],
    });
    expect(line).toMatchObject({ service: 'kansa-jobs', [pendingEvidenceMetric]: 26.5 });
  });

  it('a name added twice is put with both values; what was published is forgotten', () => {
    const metrics = new Metrics(metricsNamespace, 'kansa-plans', {});
    metrics.addMetric('Requests', MetricUnit.Count, 1);
    metrics.addMetric('Requests', MetricUnit.Count, 1);
    metrics.addMetric('ClientErrors', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    metrics.addMetric('Requests', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    expect(
      emfLines(out).map(({ _aws, ...values }) => [
        (_aws as { CloudWatchMetrics: { Metrics: unknown }[] }).CloudWatchMetrics[0]?.Metrics,
        values,
      ]),
    ).toEqual([
      [
        [
          { Name: 'Requests', Unit: 'Count' },
          { Name: 'ClientErrors', Unit: 'Count' },
        ],
        { service: 'kansa-plans', Requests: [1, 1], ClientErrors: 1 },
      ],
      [[{ Name: 'Requests', Unit: 'Count' }], { service: 'kansa-plans', Requests: 1 }],
    ]);
  });

  it('nothing is written when POWERTOOLS_METRICS_DISABLED is true, or under POWERTOOLS_DEV unless it is false', () => {
    for (const env of [
      { POWERTOOLS_METRICS_DISABLED: 'true' },
      { POWERTOOLS_DEV: 'true' },
      { POWERTOOLS_DEV: 'true', POWERTOOLS_METRICS_DISABLED: 'false' },
    ]) {
      const metrics = new Metrics(metricsNamespace, 'kansa', env);
      metrics.addMetric('Requests', MetricUnit.Count, 1);
      metrics.publishStoredMetrics();
    }
    expect(emfLines(out)).toHaveLength(1);
  });
});
