import type { MiddlewareObj } from '@middy/core';
import { isTrue, logger } from '#lib/logger.js';

/** The CloudWatch namespace of kansa's own metrics (the monitoring stack's alarms read them there). */
export const metricsNamespace = 'kansa';

/** The CloudWatch units kansa's metrics are put in. */
export const MetricUnit = { Count: 'Count', NoUnit: 'None' } as const;
export type MetricUnit = (typeof MetricUnit)[keyof typeof MetricUnit];

/**
 * A CloudWatch metrics publisher in the embedded metric format: what an invocation adds is
 * written as one JSON line on stdout, in the namespace, with the one dimension `service`
 * (CloudWatch Logs turns the line into metrics). A name added twice is put with both
 * values. Nothing is written when POWERTOOLS_METRICS_DISABLED is true, nor, unless it is
 * set to false, when POWERTOOLS_DEV is (the local stack, the tests).
 */
export class Metrics {
  #stored = new Map<string, { unit: MetricUnit; values: number[] }>();
  readonly #disabled: boolean;

  constructor(
    private readonly namespace: string,
    private readonly service: string,
    env: Record<string, string | undefined> = process.env,
  ) {
    const disabled = env.POWERTOOLS_METRICS_DISABLED;
    this.#disabled = disabled === undefined ? isTrue(env.POWERTOOLS_DEV) : isTrue(disabled);
  }

  addMetric(name: string, unit: MetricUnit, value: number): void {
    const stored = this.#stored.get(name);
    if (stored) stored.values.push(value);
    else this.#stored.set(name, { unit, values: [value] });
  }

  /** Writes what was added since the last time, as one line, and forgets it. */
  publishStoredMetrics(): void {
    if (this.#stored.size === 0) {
      logger.warn(
        'No application metrics to publish. The cold-start metric may be published if enabled. If application metrics should never be empty, consider using `throwOnEmptyMetrics`',
      );
      return;
    }
    const stored = [...this.#stored];
    this.#stored = new Map();
    if (this.#disabled) return;
    const line = {
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          { Namespace: this.namespace, Dimensions: [['service']], Metrics: stored.map(([name, { unit }]) => ({ Name: name, Unit: unit })) },
        ],
      },
      service: this.service,
      ...Object.fromEntries(stored.map(([name, { values }]) => [name, values.length === 1 ? values[0] : values])),
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}

/**
 * The one metrics publisher of the functions (namespace `kansa`, dimension `service` =
 * SERVICE_NAME): the HTTP functions' request counts (lib/http/stack.ts) and what the duty
 * runs measure (lib/jobs/handler.ts).
 */
export const metrics = new Metrics(metricsNamespace, process.env.SERVICE_NAME ?? 'kansa');

/** What an invocation added is published as it ends, answered or failed. */
export function logMetrics(target: Metrics): MiddlewareObj {
  const publish = () => target.publishStoredMetrics();
  return { after: publish, onError: publish };
}
