import { Metrics } from '@aws-lambda-powertools/metrics';
import { logger } from '#lib/logger.js';

/** The CloudWatch namespace of kansa's own metrics (the monitoring stack's alarms read them there). */
export const metricsNamespace = 'kansa';

/**
 * The one CloudWatch metrics publisher (embedded metric format, namespace `kansa`,
 * dimension `service`): the HTTP functions' request counts (lib/http/stack.ts) and what
 * the duty runs measure (lib/jobs/handler.ts). Its own warnings (e.g. "No application
 * metrics to publish") go through the logger, at its level.
 */
export const metrics = new Metrics({ namespace: metricsNamespace, serviceName: process.env.SERVICE_NAME ?? 'kansa', logger });
