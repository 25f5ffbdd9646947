/**
 * `/config.json` of the SPA: written by `npm start` (lib/local/web.ts) and, in AWS, by
 * the CDK web stack; read by the app (web/src/config.ts). One shape for both.
 */
export interface SpaConfig {
  apiBaseUrl: string;
  oidc: {
    /** The OpenID provider's issuer: discovery is read from `<authority>/.well-known/openid-configuration`. */
    authority: string;
    clientId: string;
    scope: string;
    /**
     * Cognito's `/logout` endpoint, which ends its session cookie but is not OpenID
     * RP-initiated logout: sign-out sends the browser there with `client_id` and
     * `logout_uri=<origin>/signed-out`. Absent → the discovery's `end_session_endpoint`.
     */
    logoutEndpoint?: string;
    /** Token revocation endpoint (RFC 7009) at which sign-out revokes the refresh token, where discovery names none (Cognito's `/oauth2/revoke`). */
    revocationEndpoint?: string;
  };
  environment: string;
}

/**
 * The app's `Permissions-Policy`, the same from CloudFront (cdk/stacks/web-stack.ts) and
 * from `npm start` (lib/local/web.ts): the camera on the app's own origin only (photographs
 * of evidence); no microphone, location, payment, USB, serial, Bluetooth or HID, which the
 * app never uses.
 */
export const permissionsPolicy = 'camera=(self), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), hid=()';
