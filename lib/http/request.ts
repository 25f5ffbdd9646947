import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from '#lib/domain/zod.js';
import { type FieldError, InvalidInput, NotFound, PayloadTooLarge, UnsupportedMediaType } from '#lib/domain/errors.js';
import type { Actor } from '#lib/domain/roles.js';
import { actorFromEvent } from './claims.js';
import { type RouteDef, isCreate } from './routes/define.js';

/** A request after parsing and validation: what an operation receives. */
export interface ParsedRequest {
  route: RouteDef;
  actor: Actor | undefined;
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
  /** The version named by `If-Match` (a value that names none is -1: never current). */
  ifMatch: number | undefined;
  /** `Idempotency-Key` of a create (routes answering 201); undefined when not sent. */
  idempotencyKey: string | undefined;
}

export function fieldErrors(error: z.core.$ZodError): FieldError[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

const emptyBody = z.strictObject({});

function rawBody(event: APIGatewayProxyEventV2): unknown {
  if (event.body === undefined || event.body === null || event.body.trim() === '') return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  const type = (event.headers?.['content-type'] ?? '').toLowerCase();
  if (!/^application\/([\w.+-]+\+)?json\b/.test(type)) {
    throw new UnsupportedMediaType('本文は Content-Type: application/json の JSON で送信してください。');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InvalidInput('本文が正しい JSON ではありません。', [{ path: '', message: 'JSON として解釈できません。' }], 'malformed-json');
  }
}

/** The bytes of a file route's body (base64 when the gateway says so, as binary bodies are). */
function fileBody(raw: NonNullable<RouteDef['raw']>, event: APIGatewayProxyEventV2): Buffer {
  const type = (event.headers?.['content-type'] ?? '').toLowerCase();
  if (!type.startsWith(raw.type) && !type.startsWith('application/octet-stream'))
    throw new UnsupportedMediaType(`本文は Content-Type: ${raw.type} のファイルとして送信してください。`);
  const body = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  if (bytes.length === 0) throw new InvalidInput('本文（ファイル）が空です。', [{ path: '', message: 'ファイルを送信してください。' }]);
  if (bytes.length > raw.maxBytes)
    throw new PayloadTooLarge(`ファイルは ${Math.floor(raw.maxBytes / 1024)}KB までです。ファイルを分けて送信してください。`);
  return bytes;
}

function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  return m ? Number(m[1]) : -1;
}

/** Printable ASCII without spaces, as UUIDs and the usual client libraries make them (also the OpenAPI pattern). */
export const idempotencyKeyPattern = /^[\x21-\x7e]{1,255}$/;

function parseIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!idempotencyKeyPattern.test(header)) {
    throw new InvalidInput(
      'Idempotency-Key が正しくありません。英数字と記号（空白を除く）の1〜255文字で、操作ごとに新しい値（UUID など）を付けてください。',
      [{ path: 'Idempotency-Key', message: '1〜255文字の半角英数字・記号で指定してください。' }],
      'invalid-idempotency-key',
    );
  }
  return header;
}

/** Body, path, query and `If-Match` of one request, validated once against its route. */
export function parseRequest(route: RouteDef, event: APIGatewayProxyEventV2): ParsedRequest {
  const params = route.params ? route.params.safeParse(event.pathParameters ?? {}) : { success: true as const, data: {} };
  if (!params.success) throw new NotFound('指定されたリソースは見つかりません。', 'not-found');

  const query = route.query ? route.query.safeParse(event.queryStringParameters ?? {}) : { success: true as const, data: {} };
  if (!query.success) throw new InvalidInput('クエリパラメータに誤りがあります。', fieldErrors(query.error));

  const raw = route.raw ? undefined : rawBody(event);
  const body = route.raw ? { success: true as const, data: fileBody(route.raw, event) } : z.safeParse(route.body ?? emptyBody, raw ?? {});
  if (!body.success) {
    const detail = route.body ? '本文の内容に誤りがあります。' : 'この操作は本文を受け付けません（空か {} にしてください）。';
    throw new InvalidInput(detail, fieldErrors(body.error));
  }

  return {
    route,
    actor: route.auth ? actorFromEvent(event) : undefined,
    params: params.data,
    query: query.data,
    body: body.data,
    ifMatch: route.conditional ? parseIfMatch(event.headers?.['if-match']) : undefined,
    idempotencyKey: isCreate(route) ? parseIdempotencyKey(event.headers?.['idempotency-key']) : undefined,
  };
}
