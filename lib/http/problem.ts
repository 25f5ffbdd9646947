import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DomainError, type FieldError } from '#lib/domain/errors.js';

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
  staleVersion: 412,
  unavailable: 503,
};

const titles: Record<number, string> = {
  400: '入力内容に誤りがあります',
  401: '認証が必要です',
  403: 'この操作を行う権限がありません',
  404: '見つかりません',
  409: '現在の状態では実行できません',
  412: '更新が競合しました',
  413: 'サイズが大きすぎます',
  415: '対応していない形式です',
  500: 'サーバー内部でエラーが発生しました',
  503: '一時的に利用できません',
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
    const p: Problem = { type: `urn:kansa:problem:${err.code}`, title: titles[status] ?? 'エラー', status, detail: err.message };
    if ('errors' in err && Array.isArray(err.errors) && err.errors.length > 0) p.errors = err.errors as FieldError[];
    if ('currentVersion' in err && typeof err.currentVersion === 'number') p.currentVersion = err.currentVersion;
    return p;
  }
  return {
    type: 'urn:kansa:problem:internal',
    title: titles[500] as string,
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
