import { defineRoutes } from './define.js';

/** The routes of the system function (health, the caller, the active profile and the API description). */
export const systemRoutes = defineRoutes('system', {
  health: { method: 'GET', path: '/health', auth: false, summary: '稼働確認' },
  getMe: { method: 'GET', path: '/me', auth: true, summary: 'サインイン中の利用者' },
  getOpenApi: { method: 'GET', path: '/openapi.json', auth: true, summary: 'API定義 (OpenAPI 3.1)' },
  getProfile: {
    method: 'GET',
    path: '/profile',
    auth: true,
    summary: '適用中の規程プロファイル（役職・条項・監査範囲・定期業務）と組織の課・部（departments）',
  },
});
