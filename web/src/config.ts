import type { SpaConfig } from '#lib/web-config.js';

/** `/config.json`: written by `npm start` locally and by the CDK web stack in AWS, same shape. */
export type AppConfig = SpaConfig;

let loading: Promise<AppConfig> | undefined;

/** Read `/config.json` once. */
export function loadConfig(): Promise<AppConfig> {
  loading ??= fetch('/config.json', { headers: { accept: 'application/json' } }).then(async (r) => {
    if (!r.ok) throw new Error(`設定ファイル（/config.json）を読み込めませんでした（HTTP ${r.status}）。`);
    return (await r.json()) as AppConfig;
  });
  return loading;
}
