import { afterEach, describe, expect, it } from 'vitest';
import { logger } from '#lib/logger.js';

afterEach(() => logger.resetKeys());

describe('logger', () => {
  it("takes the correlation id from the path the middy stack names (API Gateway's request id)", () => {
    logger.setCorrelationId({ requestContext: { requestId: 'req-123' } }, 'requestContext.requestId');
    expect(logger.getCorrelationId()).toBe('req-123');
  });

  it('a path the event does not have sets none', () => {
    logger.setCorrelationId({ headers: {} }, 'requestContext.requestId');
    expect(logger.getCorrelationId()).toBeUndefined();
  });
});
