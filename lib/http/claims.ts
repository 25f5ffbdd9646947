import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { Unauthenticated } from '#lib/domain/errors.js';
import { type Actor, type Role, roleSchema } from '#lib/domain/roles.js';

type Claims = Record<string, string | number | boolean | string[]>;

/**
 * `cognito:groups` as API Gateway's JWT authorizer passes it: the string
 * `"[auditLead deputyManager]"`. A JSON array or a real array are accepted too, so
 * the same parser serves direct invocations. Commas do not split: a group name may
 * contain one, and must not grant two roles.
 */
export function parseGroups(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  const s = value.trim();
  if (s.startsWith('[') && s.includes('"')) {
    try {
      const parsed: unknown = JSON.parse(s);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // fall through to the API Gateway form
    }
  }
  return s
    .replace(/^\[|\]$/g, '')
    .split(/\s+/)
    .filter((g) => g.length > 0);
}

/**
 * The kind of token the API takes: Cognito's ID token, which carries the user's name and
 * `custom:department`. API Gateway's JWT authorizer checks the signature, issuer, expiry
 * and the client id (in `aud` of an ID token, in `client_id` of an access token), so an
 * access token of the same client passes it too: it is refused here.
 */
export const expectedTokenUse = 'id';

/** The verified token's claims as an Actor: one reading, the same in AWS and locally. */
export function actorFromEvent(event: Pick<APIGatewayProxyEventV2, 'requestContext'>): Actor {
  const context = event.requestContext as { authorizer?: { jwt?: { claims?: Claims } } } | undefined;
  const claims = context?.authorizer?.jwt?.claims;
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub.length === 0) throw new Unauthenticated();
  if (claims?.token_use !== expectedTokenUse) {
    throw new Unauthenticated('IDトークン以外のトークン（アクセストークンなど）は使えません。サインインし直してください。');
  }
  const roles = parseGroups(claims?.['cognito:groups']).filter((g): g is Role => roleSchema.safeParse(g).success);
  const name = claims?.name ?? claims?.['cognito:username'] ?? sub;
  const department = claims?.['custom:department'];
  return { sub, name: String(name), roles, department: typeof department === 'string' ? department : '' };
}
