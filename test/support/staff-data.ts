import { managerOf } from './duty-data.js';
import type { Reply, TestStack } from './stack.js';

/** People on a 課's staff register (第8条), added over HTTP by the 課's 保護管理者 under 001. */

/** The register's CSV header, as the HR department writes it. */
export const staffCsvHeader = '職員番号,氏名,役職,区分,事務取扱担当者,事務,システム管理者,役割,開始日,終了日';

/** A person of `department` from 2026-04-01: a 事務取扱担当者 unless told otherwise. */
export function staffBody(department: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    department,
    name: '安積 一郎',
    title: '主事',
    kind: 'regular',
    handler: true,
    handlerDuties: '住民基本台帳事務',
    from: '2026-04-01',
    ...overrides,
  };
}

/** POST the CSV bytes to the import route as its file (`text/csv`). */
export async function postCsv(
  stack: TestStack,
  as: string,
  query: string,
  bytes: Uint8Array | string,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${stack.baseUrl}/staff/import?${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await stack.token(as)}`, 'content-type': 'text/csv', ...headers },
    body: typeof bytes === 'string' ? bytes : Buffer.from(bytes),
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, body, text } as Reply;
}

// A few at a time: a matrix prepares every cell at once.
let running = 0;
const waiting: (() => void)[] = [];

/** A new person on `department`'s register (added by its 保護管理者): their staffId. */
export async function staffIn(stack: TestStack, department: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const as = managerOf[department];
  if (!as) throw new Error(`no 保護管理者 for 課 ${department}`);
  if (running >= 4) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    const r = await stack.call('POST', '/staff', { as, body: staffBody(department, overrides) });
    if (r.status !== 201) throw new Error(`setup: POST /staff as ${as} → ${r.status} ${r.text}`);
    return r.body.staffId as string;
  } finally {
    running--;
    waiting.shift()?.();
  }
}
