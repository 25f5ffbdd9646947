import { Logger } from '@aws-lambda-powertools/logger';

/** The one structured logger (JSON, correlation id via the Lambda context). */
export const logger = new Logger({ serviceName: process.env.SERVICE_NAME ?? 'kansa' });
