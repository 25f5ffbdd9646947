import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type JWK, type JSONWebKeySet, SignJWT, exportJWK, generateKeyPair, importJWK } from 'jose';
import type { DemoUser } from './demo-users.js';

/**
 * The local identity provider's signing key and tokens. Tokens carry the claims a
 * Cognito ID token carries (`sub`, `name`, `cognito:groups`, `custom:department`,
 * `iss`, `aud`, `exp`), signed RS256, so handlers read claims one way in both worlds.
 *
 * There is one local issuer: the OpenID provider that `npm start` mounts at
 * `<base URL>/oidc` (lib/local/oidc.ts) signs with this key, and so do `npm run token`
 * and the tests, with the same `iss`.
 */
export const defaultLocalPort = 3000;

/** The issuer of the provider served at `baseUrl` (e.g. `http://localhost:3000`). */
export function localIssuerFor(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/oidc`;
}

/** The issuer of `npm start` on its default port. */
export const localIssuer = localIssuerFor(`http://localhost:${defaultLocalPort}`);
/** The SPA's client id at the local provider, and the `aud` of its ID tokens. */
export const localAudience = 'kansa-local-spa';

export interface SigningKey {
  privateJwk: JWK;
  jwks: JSONWebKeySet;
}

export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `local-${Date.now().toString(36)}`;
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { privateJwk, jwks: { keys: [publicJwk] } };
}

/** The key under `.local/`, made on first use so tokens survive restarts. */
export async function loadOrCreateSigningKey(file: string): Promise<SigningKey> {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as SigningKey;
  const key = await generateSigningKey();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(key), { mode: 0o600 });
  return key;
}

export interface TokenOptions {
  issuer?: string;
  audience?: string;
  /** Lifetime in seconds (default 8 hours). */
  ttlSeconds?: number;
}

/** A bearer token for a user, as Cognito would issue it for the SPA client. */
export async function signToken(
  key: SigningKey,
  user: Pick<DemoUser, 'id' | 'name' | 'roles' | 'department'>,
  opts: TokenOptions = {},
): Promise<string> {
  const pk = await importJWK(key.privateJwk, 'RS256');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    name: user.name,
    'cognito:groups': user.roles,
    'custom:department': user.department,
    'cognito:username': user.id,
    token_use: 'id',
  })
    .setProtectedHeader({ alg: 'RS256', kid: key.privateJwk.kid ?? 'local', typ: 'JWT' })
    .setSubject(user.id)
    .setIssuer(opts.issuer ?? localIssuer)
    .setAudience(opts.audience ?? localAudience)
    .setIssuedAt(now)
    .setExpirationTime(now + (opts.ttlSeconds ?? 8 * 3600))
    .sign(pk);
}
