import { config } from 'zod/mini';
import ja from 'zod/v4/locales/ja.js';
config(ja());
export * from 'zod/mini';
