import { type Reply, type TestStack } from './stack.js';
import { managerOf } from './duty-data.js';

/**
 * 事案 in a given state, made over HTTP by the demo users whose step it is under 001: reported
 * by the 市民課's 会計年度任用職員 (no role) unless told otherwise, contained, investigated and
 * prevented by the 課's 保護管理者.
 */

/** A 職員 of 市民課 with no role: reports 事案 and nothing else. */
export const clerk = 'clerk';
/** The 総括保護副管理者 (001: receives the investigation, files the PPC reports, 本人通知). */
export const deputy = 'policy-director';

/** A report of a mis-sent letter to `subjects` people of `department`, discovered an hour ago. */
export function incidentBody(department: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const { records, ...rest } = overrides;
  return {
    department,
    discoveredAt: new Date(Date.now() - 3_600_000).toISOString(),
    summary: '通知書を別の住所に誤送付した',
    category: 'leak',
    records: {
      items: ['氏名', '住所'],
      subjects: 1,
      sensitive: false,
      financialHarm: false,
      wrongfulPurpose: false,
      myNumber: false,
      encrypted: false,
      ...(records as Record<string, unknown> | undefined),
    },
    ...rest,
  };
}

export type IncidentState = 'reported' | 'contained' | 'investigated' | 'prevented';

export interface IncidentData {
  /** A new 事案 of `department` moved on to `state`; `shareWith` names the 課 its prevention is shared with. */
  incidentIn(
    state: IncidentState,
    department: string,
    opts?: { reporter?: string; shareWith?: string[]; body?: Record<string, unknown> },
  ): Promise<string>;
}

export function incidentData(stack: TestStack): IncidentData {
  const ok = async (method: string, path: string, as: string, body?: unknown): Promise<Reply> => {
    const r = await stack.call(method, path, { as, ...(body === undefined ? {} : { body }) });
    if (r.status >= 300) throw new Error(`setup: ${method} ${path} as ${as} → ${r.status} ${r.text}`);
    return r;
  };
  // A few at a time: a matrix prepares every cell at once, and each 事案 is several transactions.
  let running = 0;
  const waiting: (() => void)[] = [];
  const limited = async <T>(work: () => Promise<T>): Promise<T> => {
    if (running >= 4) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await work();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
  const build: IncidentData['incidentIn'] = async (state, department, opts = {}) => {
    const id = (await ok('POST', '/incidents', opts.reporter ?? clerk, incidentBody(department, opts.body))).body.incidentId as string;
    const manager = managerOf[department];
    if (state === 'reported') return id;
    if (!manager) throw new Error(`no 保護管理者 for 課 ${department}`);
    await ok('POST', `/incidents/${id}/contain`, manager, { measures: '誤送付先から回収した' });
    if (state === 'contained') return id;
    await ok('POST', `/incidents/${id}/investigate`, manager, { findings: '封入の確認が一人で行われていた' });
    if (state === 'investigated') return id;
    await ok('POST', `/incidents/${id}/prevention`, manager, { measures: '封入を二人で確認する', shareWith: opts.shareWith ?? [] });
    return id;
  };
  return { incidentIn: (state, department, opts) => limited(() => build(state, department, opts)) };
}
