import { z } from 'zod';

/**
 * zod with Japanese messages: every schema of the domain is built from this, so a
 * message zod writes itself (an unknown key, a wrong type) is Japanese wherever
 * the schema is used.
 */
z.config(z.locales.ja());

export { z };
