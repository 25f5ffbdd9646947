import { describe, expect, it } from 'vitest';
import {
  Conflict,
  type DomainError,
  Forbidden,
  InvalidInput,
  KeyReused,
  NotFound,
  OutcomeUnknown,
  PayloadTooLarge,
  StaleVersion,
  Unauthenticated,
  Unavailable,
  UnsupportedMediaType,
} from '#lib/domain/errors.js';
import { problemOf, problemResponse, statusOf } from '#lib/http/problem.js';

const japanese = /[\u3040-\u30ff\u4e00-\u9fff]/;

describe('problemOf: domain errors', () => {
  it.each<[DomainError, number, string, Record<string, unknown>]>([
    [
      new InvalidInput('本文の内容に誤りがあります。', [{ path: 'purpose', message: '監査目的を入力してください。' }]),
      400,
      'urn:kansa:problem:invalid-input',
      { errors: [{ path: 'purpose', message: '監査目的を入力してください。' }] },
    ],
    [new Unauthenticated(), 401, 'urn:kansa:problem:unauthenticated', {}],
    [new Forbidden('監査計画の承認は総括保護管理者のみが行えます。'), 403, 'urn:kansa:problem:forbidden', {}],
    [new NotFound('指定された監査計画は見つかりません。', 'plan-not-found'), 404, 'urn:kansa:problem:plan-not-found', {}],
    [new UnsupportedMediaType('本文は JSON で送信してください。'), 415, 'urn:kansa:problem:unsupported-media-type', {}],
    [new PayloadTooLarge('ファイルが大きすぎます（上限 20 MB）。'), 413, 'urn:kansa:problem:payload-too-large', {}],
    [new Conflict('状態が「完了」の監査計画は提出できません。', 'illegal-transition'), 409, 'urn:kansa:problem:illegal-transition', {}],
    [new KeyReused(), 422, 'urn:kansa:problem:idempotency-key-reused', {}],
    [new StaleVersion(3), 412, 'urn:kansa:problem:stale-version', { currentVersion: 3 }],
    [new Unavailable(), 503, 'urn:kansa:problem:unavailable', {}],
    [new OutcomeUnknown(), 503, 'urn:kansa:problem:outcome-unknown', {}],
  ])('%s → %i', (err, status, type, extra) => {
    const p = problemOf(err);
    expect(p).toEqual({ type, title: expect.stringMatching(japanese), status, detail: err.message, ...extra });
    expect(p.detail).toMatch(japanese);
  });

  it('the table above covers every kind', () => {
    expect(Object.keys(statusOf).sort()).toEqual(
      [
        'invalid',
        'unauthenticated',
        'forbidden',
        'notFound',
        'unsupportedMediaType',
        'payloadTooLarge',
        'conflict',
        'keyReused',
        'staleVersion',
        'unavailable',
      ].sort(),
    );
  });

  it('leaves out errors when there are none and currentVersion when unknown', () => {
    expect(problemOf(new InvalidInput('入力に誤りがあります。'))).not.toHaveProperty('errors');
    expect(problemOf(new StaleVersion(undefined))).not.toHaveProperty('currentVersion');
  });
});

describe('problemOf: anything else is a 500 that leaks nothing', () => {
  const secret = 'ConditionalCheckFailed on table kansa-prod-Table at arn:aws:dynamodb:ap-northeast-1:123456789012';

  it.each<[string, unknown]>([
    ['an Error', new Error(secret)],
    ['a TypeError', new TypeError(secret)],
    ['an error that looks like a domain error', Object.assign(new Error(secret), { kind: 'conflict', code: 'conflict' })],
    ['a thrown string', secret],
    ['undefined', undefined],
    ['null', null],
  ])('%s', (_name, err) => {
    const p = problemOf(err);
    expect(p).toEqual({
      type: 'urn:kansa:problem:internal',
      title: expect.stringMatching(japanese),
      status: 500,
      detail: expect.stringMatching(japanese),
    });
    expect(JSON.stringify(p)).not.toContain('ConditionalCheckFailed');
    expect(JSON.stringify(p)).not.toContain('123456789012');
  });
});

describe('problemResponse', () => {
  it('is application/problem+json with the status and the problem as body', () => {
    const p = problemOf(new NotFound('指定された監査計画は見つかりません。'));
    const r = problemResponse(p, { etag: '"1"' });
    expect(r.statusCode).toBe(404);
    expect(r.headers).toMatchObject({ 'content-type': 'application/problem+json; charset=utf-8', etag: '"1"' });
    expect(JSON.parse(r.body as string)).toEqual(p);
  });
});
