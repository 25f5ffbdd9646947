import { Logger } from '@aws-lambda-powertools/logger';

/**
 * A correlation id path's value (`requestContext.requestId`): plain dotted keys, the
 * only form the middy stack uses, without the JMESPath package.
 */
function atPath(path: string, data: unknown): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | null | undefined)?.[key], data);
}

/** The one structured logger (JSON, correlation id via the Lambda context). */
export const logger = new Logger({ serviceName: process.env.SERVICE_NAME ?? 'kansa', correlationIdSearchFn: atPath });
