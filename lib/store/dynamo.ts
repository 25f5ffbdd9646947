import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Timeouts well under the functions' 10 s: a connection that does not open in 1 s, or an
 * answer that does not come in 2 s, is given up and retried by the SDK (3 attempts, the
 * same ClientRequestToken for a TransactWriteItems); a write still unanswered after that
 * is reported as of unknown outcome (lib/store/errors.ts), not left to the function's timeout.
 */
export const dynamoTimeouts = { connectionTimeout: 1_000, requestTimeout: 2_000 } as const;

/** The one way to build a DynamoDB document client (endpoint set only locally). */
export function createDocumentClient(opts: { region: string; endpoint?: string | undefined }): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: opts.region,
    maxAttempts: 3,
    requestHandler: dynamoTimeouts,
    ...(opts.endpoint ? { endpoint: opts.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
