import { UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { AppConfig } from './config.js';

/**
 * Sign-in: OpenID Connect authorization code with PKCE (oidc-client-ts), the same code
 * path against the local provider and Cognito. Tokens live in sessionStorage and are
 * renewed silently with the refresh token; when renewal fails the app shows
 * 「セッションの有効期限が切れました」.
 */
export interface Auth {
  /** The ID token to send as bearer, or undefined when not signed in (or expired). */
  idToken(): Promise<string | undefined>;
  signIn(returnTo: string): Promise<void>;
  /** Finish the redirect on /auth/callback; resolves to where the user was going. */
  completeSignIn(): Promise<string>;
  signOut(): Promise<void>;
  /** Forget the tokens (after a 401 or a failed renewal). */
  forget(): Promise<void>;
}

/** Where to return after sign-in: only a path of this app. */
function safeReturn(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/auth/') ? value : '/';
}

export function createAuth(cfg: AppConfig, onExpired: () => void): Auth {
  const origin = window.location.origin;
  const store = new WebStorageStateStore({ store: window.sessionStorage });
  const manager = new UserManager({
    authority: cfg.oidc.authority,
    client_id: cfg.oidc.clientId,
    scope: cfg.oidc.scope,
    response_type: 'code',
    redirect_uri: `${origin}/auth/callback`,
    post_logout_redirect_uri: `${origin}/`,
    automaticSilentRenew: true,
    // Cognito revokes refresh tokens only (RFC 7009); its discovery names no revocation endpoint.
    revokeTokenTypes: ['refresh_token'],
    ...(cfg.oidc.revocationEndpoint ? { metadataSeed: { revocation_endpoint: cfg.oidc.revocationEndpoint } } : {}),
    userStore: store,
    stateStore: store,
  });
  manager.events.addSilentRenewError(() => {
    void manager.removeUser().finally(onExpired);
  });

  return {
    async idToken() {
      const user = await manager.getUser();
      if (!user || user.expired) return undefined;
      return user.id_token;
    },
    async signIn(returnTo) {
      await manager.signinRedirect({ state: { returnTo: safeReturn(returnTo) } });
    },
    async completeSignIn() {
      const user = await manager.signinRedirectCallback();
      return safeReturn((user.state as { returnTo?: unknown } | undefined)?.returnTo);
    },
    async signOut() {
      const user = await manager.getUser();
      if (cfg.oidc.logoutEndpoint) {
        // Cognito: revoke the refresh token (best effort: the session ends below either
        // way), forget the tokens, and end the hosted-login session at its /logout.
        if (user?.refresh_token && cfg.oidc.revocationEndpoint) await manager.revokeTokens(['refresh_token']).catch(() => undefined);
        await manager.removeUser();
        const url = new URL(cfg.oidc.logoutEndpoint);
        url.searchParams.set('client_id', cfg.oidc.clientId);
        url.searchParams.set('logout_uri', `${origin}/signed-out`);
        window.location.assign(url.href);
        return;
      }
      try {
        await manager.signoutRedirect(user?.id_token ? { id_token_hint: user.id_token } : {});
      } catch {
        // A provider without an end-session endpoint: forget the tokens here.
        await manager.removeUser();
        window.location.assign('/signed-out');
      }
    },
    async forget() {
      await manager.removeUser();
    },
  };
}
