import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { type Adapter, type AdapterPayload, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Role } from '#lib/domain/roles.js';
import { type DemoUser, demoTitle } from './demo-users.js';
import { type SigningKey, localAudience, localIssuerFor } from './identity.js';

/**
 * The local OpenID provider (the `oidc-provider` library), mounted at `/oidc` on the
 * gateway's port: the SPA signs in against it with the authorization code flow and
 * PKCE exactly as it does against Cognito in AWS. It signs with the local signing key
 * (lib/local/identity.ts), so its ID tokens are the tokens the gateway verifies, with
 * the claims Cognito puts in an ID token (`sub`, `name`, `cognito:groups`,
 * `custom:department`; `aud` = the client id).
 *
 * The login page lists the demo users; every one signs in with the demo password.
 * Consent is granted for the one first-party client (`loadExistingGrant`), so no
 * consent page is shown. State lives in memory: a restart signs everybody out.
 */
export interface LocalOidcOptions {
  /** Where the gateway is reached from the browser, e.g. `http://localhost:3000`. */
  baseUrl: string;
  key: SigningKey;
  users: readonly DemoUser[];
  /** The active regulation's role titles, to name each user's roles on the login page. */
  roleTitles: Partial<Record<Role, string>>;
  password: string;
  /** ID and access token lifetime in seconds (default 15 minutes: the SPA renews with its refresh token). */
  idTokenTtlSeconds?: number;
}

export interface LocalOidc {
  issuer: string;
  clientId: string;
  /** Serves `/oidc/*` and returns true; returns false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

export const oidcMountPath = '/oidc';
const sessionSeconds = 8 * 3600;

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const pageStyle = `
  :root { color-scheme: light; }
  body { font-family: system-ui, "Hiragino Sans", "Noto Sans JP", "Yu Gothic", sans-serif; margin: 0; background: #f4f5f7; color: #1a1a1a; line-height: 1.6; }
  main { max-width: 34rem; margin: 2rem auto; padding: 1.5rem; background: #fff; border-radius: 8px; box-shadow: 0 1px 3px rgba(0,0,0,.15); }
  h1 { font-size: 1.4rem; margin-top: 0; }
  fieldset { border: 1px solid #8a8f98; border-radius: 6px; padding: .5rem 1rem; margin: 0 0 1rem; }
  legend { font-weight: bold; padding: 0 .25rem; }
  .user { display: flex; gap: .5rem; align-items: flex-start; padding: .4rem 0; border-bottom: 1px solid #e3e5e8; }
  .user:last-child { border-bottom: 0; }
  .user small { display: block; color: #4a4f57; }
  input[type=radio] { margin-top: .35rem; width: 1.1rem; height: 1.1rem; }
  label[for=password] { display: block; font-weight: bold; margin-bottom: .25rem; }
  input[type=password] { width: 100%; box-sizing: border-box; font-size: 1rem; padding: .5rem; border: 1px solid #5f6570; border-radius: 4px; }
  .actions { display: flex; gap: .75rem; margin-top: 1.25rem; flex-wrap: wrap; }
  button { font-size: 1rem; padding: .6rem 1.2rem; border-radius: 4px; border: 1px solid #0b4f9c; background: #0b4f9c; color: #fff; cursor: pointer; }
  button.secondary { background: #fff; color: #0b4f9c; }
  button:focus-visible, input:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
  .error { border-left: 4px solid #b00020; background: #fdecee; padding: .5rem .75rem; color: #7a0015; }
  .hint { color: #4a4f57; font-size: .9rem; }
`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} | 個人情報保護監査システム（ローカル）</title>
<style>${pageStyle}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    'content-length': Buffer.byteLength(html),
  });
  res.end(html);
}

function loginPage(
  action: string,
  users: readonly DemoUser[],
  roleTitles: Partial<Record<Role, string>>,
  selected: string | undefined,
  error: string | undefined,
): string {
  const options = users
    .map((u, i) => {
      const id = `user-${i}`;
      const checked = u.id === selected ? ' checked' : '';
      // No one is chosen in advance: a password alone never signs in as the first user.
      return (
        `<div class="user"><input type="radio" id="${id}" name="user" value="${escapeHtml(u.id)}" required${checked}>` +
        `<label for="${id}">${escapeHtml(u.name)}<small>${escapeHtml(demoTitle(u, roleTitles))}</small></label></div>`
      );
    })
    .join('\n');
  return page(
    'ログイン',
    `<h1>ログイン</h1>
<p class="hint">ローカル環境のデモ利用者です。利用者を選び、デモ用パスワードを入力してください。</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}">
<fieldset>
<legend>利用者</legend>
${options}
</fieldset>
<label for="password">パスワード</label>
<input type="password" id="password" name="password" autocomplete="current-password" required${error ? ' autofocus' : ''}>
<div class="actions">
<button type="submit" name="action" value="login">ログイン</button>
<button type="submit" name="action" value="abort" class="secondary" formnovalidate>キャンセル</button>
</div>
</form>`,
  );
}

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 16 * 1024) reject(new Error('form too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

function samePassword(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The provider's state (sessions, grants, codes, tokens) in memory, by model name; expired entries vanish. */
function memoryAdapter(): (name: string) => Adapter {
  const items = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
  const live = (key: string): AdapterPayload | undefined => {
    const item = items.get(key);
    if (item && item.expiresAt <= Date.now()) items.delete(key);
    return item && item.expiresAt > Date.now() ? item.payload : undefined;
  };
  return (name) => {
    const key = (id: string) => `${name}:${id}`;
    const findBy = (field: 'uid' | 'userCode', value: string) => {
      for (const [k, item] of items) if (k.startsWith(`${name}:`) && item.payload[field] === value) return live(k);
      return undefined;
    };
    return {
      upsert: async (id, payload, expiresIn) => {
        items.set(key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY });
      },
      find: async (id) => live(key(id)),
      findByUid: async (uid) => findBy('uid', uid),
      findByUserCode: async (userCode) => findBy('userCode', userCode),
      consume: async (id) => {
        const item = items.get(key(id));
        if (item) item.payload.consumed = Math.floor(Date.now() / 1000);
      },
      destroy: async (id) => {
        items.delete(key(id));
      },
      revokeByGrantId: async (grantId) => {
        for (const [k, item] of items) if (item.payload.grantId === grantId) items.delete(k);
      },
    };
  };
}

export function createLocalOidc(opts: LocalOidcOptions): LocalOidc {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const issuer = localIssuerFor(base);
  const tokenTtl = opts.idTokenTtlSeconds ?? 15 * 60;
  const userById = new Map(opts.users.map((u) => [u.id, u]));
  const interactionPath = (uid: string) => `${oidcMountPath}/interaction/${uid}`;

  const configuration: Configuration = {
    adapter: memoryAdapter(),
    clients: [
      {
        client_id: localAudience,
        client_name: '個人情報保護監査システム',
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [`${base}/auth/callback`],
        post_logout_redirect_uris: [`${base}/`, `${base}/signed-out`],
      },
    ],
    jwks: { keys: [opts.key.privateJwk as never] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    claims: { openid: ['sub', 'token_use'], profile: ['name', 'cognito:groups', 'custom:department', 'cognito:username'] },
    // The ID token carries the profile claims itself, as Cognito's does: the API reads nothing else.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    responseTypes: ['code'],
    ttl: {
      IdToken: tokenTtl,
      AccessToken: tokenTtl,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: sessionSeconds,
      Grant: sessionSeconds,
      RefreshToken: sessionSeconds,
    },
    // Refresh tokens for the SPA's silent renewal, also without `offline_access` (which the
    // provider only keeps with prompt=consent); they end with the session at sign-out.
    issueRefreshToken: async (_ctx, client, code) => client.grantTypeAllowed('refresh_token') && code.scopes.has('openid'),
    clientBasedCORS: (_ctx, origin) => origin === base,
    findAccount: async (_ctx, id) => {
      const user = userById.get(id);
      if (!user) return undefined;
      return {
        accountId: user.id,
        // `token_use: id` in the ID token, as Cognito's: the API takes no other kind of token.
        claims: async (use) => ({
          sub: user.id,
          ...(use === 'id_token' ? { token_use: 'id' } : {}),
          name: user.name,
          'cognito:groups': user.roles,
          'custom:department': user.department,
          'cognito:username': user.id,
        }),
      };
    },
    // The one client is first-party: its consent is granted at sign-in, no consent page.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { client, session, provider } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      const existing = grantId ? await provider.Grant.find(grantId) : undefined;
      const grant = existing ?? new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope([...ctx.oidc.requestParamScopes].join(' '));
      await grant.save();
      return grant;
    },
    interactions: { url: (_ctx, interaction) => interactionPath(interaction.uid) },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.type = 'html';
          ctx.body = page(
            'ログアウト',
            `<h1>ログアウトしますか？</h1>
${form}
<div class="actions">
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>ログアウト</button>
<button type="submit" form="op.logoutForm" class="secondary">キャンセル</button>
</div>`,
          );
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.type = 'html';
          ctx.body = page(
            'ログアウトしました',
            `<h1>ログアウトしました</h1><p><a href="${escapeHtml(base)}/">個人情報保護監査システムへ戻る</a></p>`,
          );
        },
      },
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      const detail = typeof out.error_description === 'string' ? out.error_description : out.error;
      ctx.body = page(
        'ログインできませんでした',
        `<h1>ログインできませんでした</h1><p role="alert">認証処理でエラーが発生しました（${escapeHtml(String(out.error))}）。</p>` +
          `<p class="hint">${escapeHtml(String(detail))}</p><p><a href="${escapeHtml(base)}/">最初からやり直す</a></p>`,
      );
    },
  };

  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    let details;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      sendHtml(
        res,
        400,
        page(
          'セッションが見つかりません',
          `<h1>ログインの手続きが見つかりません</h1><p role="alert">時間が経ちすぎたか、別のタブで完了しています。</p><p><a href="${escapeHtml(base)}/">最初からやり直す</a></p>`,
        ),
      );
      return;
    }
    if (details.uid !== uid) {
      sendHtml(
        res,
        400,
        page(
          'セッションが一致しません',
          `<h1>ログインの手続きが一致しません</h1><p><a href="${escapeHtml(base)}/">最初からやり直す</a></p>`,
        ),
      );
      return;
    }
    const action = interactionPath(uid);
    if (method === 'GET' || method === 'HEAD') {
      sendHtml(res, 200, loginPage(action, opts.users, opts.roleTitles, undefined, undefined));
      return;
    }
    if (method !== 'POST') {
      res.writeHead(405, { allow: 'GET, POST' }).end();
      return;
    }
    const form = await readForm(req);
    if (form.get('action') === 'abort') {
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'ログインが取り消されました。' },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    const userId = form.get('user') ?? '';
    const user = userById.get(userId);
    if (!user || !samePassword(form.get('password') ?? '', opts.password)) {
      sendHtml(
        res,
        401,
        loginPage(action, opts.users, opts.roleTitles, user?.id, user ? 'パスワードが違います。' : '利用者を選んでください。'),
      );
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: user.id } }, { mergeWithLastSubmission: false });
  }

  return {
    issuer,
    clientId: localAudience,
    handle(req, res) {
      const url = req.url ?? '/';
      if (url !== oidcMountPath && !url.startsWith(`${oidcMountPath}/`) && !url.startsWith(`${oidcMountPath}?`)) return false;
      const m = /^\/oidc\/interaction\/([\w-]+)(?:\?.*)?$/.exec(url);
      if (m) {
        interaction(req, res, m[1] as string).catch((err: unknown) => {
          console.error(err);
          if (!res.headersSent) sendHtml(res, 500, page('エラー', '<h1>ログイン処理でエラーが発生しました</h1>'));
        });
        return true;
      }
      // Mounted as Express would: the provider sees its own paths and finds the mount in originalUrl.
      Object.assign(req, { originalUrl: url, url: url.slice(oidcMountPath.length) || '/' });
      void callback(req, res);
      return true;
    },
  };
}
