import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DomainError, type FieldError, problemTitles } from '#lib/domain/errors.js';

/**
 * The one error mapper: domain errors → RFC 9457 problem+json with Japanese
 * `title`/`detail`. Anything unexpected is a 500 that leaks nothing.
 */
export const statusOf: Record<DomainError['kind'], number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  notFound: 404,
  unsupportedMediaType: 415,
  payloadTooLarge: 413,
  conflict: 409,
  keyReused: 422,
  staleVersion: 412,
  unavailable: 503,
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  currentVersion?: number;
}

export function problemOf(err: unknown): Problem {
  if (err instanceof DomainError) {
    const status = statusOf[err.kind];
    const p: Problem = { type: `urn:kansa:problem:${err.code}`, title: problemTitles[status] ?? 'エラー', status, detail: err.message };
    if ('errors' in err && Array.isArray(err.errors) && err.errors.length > 0) p.errors = err.errors as FieldError[];
    if ('currentVersion' in err && typeof err.currentVersion === 'number') p.currentVersion = err.currentVersion;
    return p;
  }
  return {
    type: 'urn:kansa:problem:internal',
    title: problemTitles[500] as string,
    status: 500,
    detail: '予期しないエラーが発生しました。時間をおいて再度お試しください。解決しない場合は管理者に連絡してください。',
  };
}

export function problemResponse(p: Problem, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: p.status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', ...headers },
    body: JSON.stringify(p),
  };
}
