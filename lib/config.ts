import * as z from '#lib/domain/zod.js';
import { defaultProfileId, profileIds } from '#lib/profiles/index.js';
import { practicesSchema } from '#lib/profiles/practices.js';

/** A variable holding JSON, parsed and then checked against `schema`. */
function jsonVariable<T extends z.ZodType>(schema: T, fallback: string) {
  return z
    .string()
    .default(fallback)
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

/**
 * Environment, parsed once at cold start. The same names in AWS and locally;
 * only the endpoints are set locally (unset in AWS).
 */
const envSchema = z.object({
  TABLE_NAME: z.string().min(1).optional(),
  AWS_REGION: z.string().min(1).default('ap-northeast-1'),
  DYNAMODB_ENDPOINT: z.url().optional(),
  PROFILE_ID: z.enum(profileIds as [string, ...string[]]).default(defaultProfileId),
  SERVICE_NAME: z.string().default('kansa'),
  /** The evidence bucket (uploads land in incoming/, verified files live in evidence/). */
  EVIDENCE_BUCKET: z.string().min(1).optional(),
  /** Largest evidence file accepted, in bytes (default 20 MB). */
  EVIDENCE_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(20 * 1024 * 1024),
  /**
   * The malware scanner of uploads: `guardduty` (AWS: the verifier and the jobs function
   * read GuardDuty Malware Protection's result tag on each upload and wait for it), or
   * `off` (locally, or `-c malwareScan=off`): the scan is recorded as skipped, never as clean.
   */
  MALWARE_SCAN: z.enum(['guardduty', 'off']).default('off'),
  /** Set locally only: the S3 emulator. */
  S3_ENDPOINT: z.url().optional(),
  /** The EventBridge bus events are put on (AWS: the functions that announce events); unset locally. */
  EVENT_BUS_NAME: z.string().min(1).optional(),
  /** Set locally only: where events go without a bus, printed as JSON lines (`npm start`, `npm run job`) or kept in memory (tests). */
  LOCAL_EVENTS: z.enum(['stdout', 'memory']).default('stdout'),
  /** The municipality's practice (運用) where its regulation is silent, as JSON over the profile's defaults (lib/profiles/practices.ts). */
  PRACTICES_JSON: jsonVariable(practicesSchema, '{}'),
  /** The organisation's 部 and 課 as JSON: [{ "code", "name", "division" }]. */
  DEPARTMENTS_JSON: jsonVariable(
    z.array(z.object({ code: z.string().min(1), name: z.string().min(1), division: z.string().min(1) })),
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
