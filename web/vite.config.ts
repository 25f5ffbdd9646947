import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The SPA: Preact with the automatic JSX runtime (oxc, no babel preset). Routes are
 * lazy chunks; the manifest lets `web/size.ts` measure the initial JavaScript.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
    sourcemap: false,
  },
  server: { port: 5173 },
});
