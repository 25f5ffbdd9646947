import { rollIdPattern, ulidSchema as ulid } from '#lib/domain/fields.js';
import * as z from '#lib/domain/zod.js';

/** Query and path fields shared by the route modules beside this one, with Japanese messages. */

/** A page of a list: `limit` (1–100, 20 when left out) and the `cursor` of the page before. */
export const page = {
  limit: z._default(
    z.coerce
      .number({ error: 'limit は数値で指定してください。' })
      .check(
        z.int({ error: 'limit は整数で指定してください。' }),
        z.gte(1, { error: 'limit は1以上で指定してください。' }),
        z.lte(100, { error: 'limit は100以下で指定してください。' }),
      ),
    20,
  ),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
};

/** A yes/no query parameter: `true` or `false` (else a Japanese 400); `absent` is what leaving it out means. */
export const yesNo = (name: string, absent?: 'false') => {
  const values = z.enum(['true', 'false'], { error: `${name} は true か false です。` });
  return z.pipe(
    absent === undefined ? values : z._default(values, absent),
    z.transform((v: 'true' | 'false') => v === 'true'),
  );
};

export const fiscalYearQuery = z.coerce
  .number({ error: 'fiscalYear は数値で指定してください。' })
  .check(
    z.int({ error: 'fiscalYear は整数で指定してください。' }),
    z.gte(2000, { error: 'fiscalYear は2000以上で指定してください。' }),
    z.lte(2100, { error: 'fiscalYear は2100以下で指定してください。' }),
  );

export const planParams = z.object({ planId: ulid });
export const findingParams = z.object({ findingId: ulid });
export const actionParams = z.object({ actionId: ulid });
export const evidenceParams = z.object({ evidenceId: ulid });
export const disposalParams = z.object({ disposalId: ulid });
export const taskParams = z.object({ taskId: ulid });
export const inspectionParams = z.object({ inspectionId: ulid });
export const contractorParams = z.object({ contractorId: ulid });
export const checkParams = z.object({ checkId: ulid });
export const incidentParams = z.object({ incidentId: ulid });
export const staffParams = z.object({ staffId: ulid });
export const trainingParams = z.object({ trainingId: ulid });

/** The id of an entity in the audit log: a ULID, or an attendance roll's `<trainingId>-<課>`. */
export const entityId = z.union([ulid, z.string().check(z.regex(rollIdPattern))], { error: 'entityId が正しくありません。' });
