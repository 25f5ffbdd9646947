import { config } from 'zod/mini';
import ja from 'zod/v4/locales/ja.js';

/**
 * zod/mini with Japanese messages: every schema of the server and the SPA is built from
 * this, so a message zod writes itself (an unknown key, a wrong type) is Japanese wherever
 * the schema is used. zod/mini rather than zod's classic API: the same validation and
 * messages, but its functions are tree-shaken, so each bundle keeps only the checks it
 * uses (bench/libraries.ts measured 69 KB and 18–34 ms of import less per function).
 * Import it as a namespace (`import * as z from './zod.js'`) and the one locale file
 * stays the only one bundled.
 */
config(ja());

export * from 'zod/mini';
