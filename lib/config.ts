import * as z from '#lib/domain/zod.js';
import { defaultProfileId, profileIds } from '#lib/profiles/index.js';
import { practicesSchema } from '#lib/profiles/practices.js';

/** A variable holding JSON, parsed and then checked against `schema`. */
function jsonVariable<T extends z.ZodMiniType>(schema: T, fallback: string) {
  const parsed = z.transform((s: string, ctx) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      ctx.issues.push({ code: 'custom', message: 'not JSON', input: s });
      return z.NEVER;
    }
  });
  return z.pipe(z.pipe(z._default(z.string(), fallback), parsed), schema);
}

/**
 * Environment, parsed once at cold start. The same names in AWS and locally;
 * only the endpoints are set locally (unset in AWS).
 */
const envSchema = z.object({
  TABLE_NAME: z.optional(z.string().check(z.minLength(1))),
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'ap-northeast-1'),
  DYNAMODB_ENDPOINT: z.optional(z.url()),
  PROFILE_ID: z._default(z.enum(profileIds as [string, ...string[]]), defaultProfileId),
  SERVICE_NAME: z._default(z.string(), 'kansa'),
  /** The evidence bucket (uploads land in incoming/, verified files live in evidence/). */
  EVIDENCE_BUCKET: z.optional(z.string().check(z.minLength(1))),
  /** Largest evidence file accepted, in bytes (default 20 MB). */
  EVIDENCE_MAX_BYTES: z._default(z.coerce.number().check(z.int(), z.positive()), 20 * 1024 * 1024),
  /**
   * The malware scanner of uploads: `guardduty` (AWS: the verifier and the jobs function
   * read GuardDuty Malware Protection's result tag on each upload and wait for it), or
   * `off` (locally, or `-c malwareScan=off`): the scan is recorded as skipped, never as clean.
   */
  MALWARE_SCAN: z._default(z.enum(['guardduty', 'off']), 'off'),
  /** Set locally only: the S3 emulator. */
  S3_ENDPOINT: z.optional(z.url()),
  /** The EventBridge bus events are put on (AWS: the functions that announce events); unset locally. */
  EVENT_BUS_NAME: z.optional(z.string().check(z.minLength(1))),
  /** Set locally only: where events go without a bus, printed as JSON lines (`npm start`, `npm run job`) or kept in memory (tests). */
  LOCAL_EVENTS: z._default(z.enum(['stdout', 'memory']), 'stdout'),
  /** The municipality's practice (運用) where its regulation is silent, as JSON over the profile's defaults (lib/profiles/practices.ts). */
  PRACTICES_JSON: jsonVariable(practicesSchema, '{}'),
  /** The organisation's 部 and 課 as JSON: [{ "code", "name", "division" }]. */
  DEPARTMENTS_JSON: jsonVariable(
    z.array(
      z.object({
        code: z.string().check(z.minLength(1)),
        name: z.string().check(z.minLength(1)),
        division: z.string().check(z.minLength(1)),
      }),
    ),
    '[]',
  ),
});

export type Config = z.infer<typeof envSchema>;

let cached: Config | undefined;

/** The parsed environment; throws a readable error naming each bad variable. */
export function config(): Config {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid environment: ${issues}`);
  }
  cached = parsed.data;
  return cached;
}
