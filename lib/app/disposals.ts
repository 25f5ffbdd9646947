import { fiscalYearOf, fiscalYearOfDate, jstDate } from '#lib/domain/calendar.js';
import { type CreateDisposalInput, type Disposal, completeness } from '#lib/domain/disposal.js';
import { InvalidInput } from '#lib/domain/errors.js';
import type { Actor } from '#lib/domain/roles.js';
import { authorizeIn } from './authorize.js';
import { change } from './changes.js';
import type { Deps, Page, PageRequest } from './ports.js';
import { listDepartment, loadVisible } from './visibility.js';

/** 消去・廃棄の記録 use cases (`provisions.disposal`). Records are appended, never edited or deleted. */

export type DisposalView = Disposal & { complete: boolean; missing: string[] };

/** The record with whether it is complete under the active profile's rule, and what is missing. */
export const disposalView = (deps: Pick<Deps, 'profile'>, d: Disposal): DisposalView => ({ ...d, ...completeness(d, deps.profile) });

/** Record a disposal for one's own 課 (or any, as 監査責任者). A correction names the record it corrects. */
export async function createDisposal(deps: Deps, actor: Actor, input: CreateDisposalInput): Promise<DisposalView> {
  authorizeIn(deps, actor, 'disposal:create');
  authorizeIn(deps, actor, 'disposal:create', { type: 'department', department: input.department, organisation: deps.organisation });
  const today = jstDate(deps.clock.now());
  if (input.disposedOn > today) {
    throw new InvalidInput(`消去・廃棄日（${input.disposedOn}）は今日（${today}）以前の日付にしてください。`, [
      { path: 'disposedOn', message: '未来の日付です。' },
    ]);
  }
  if (input.correctionOf) {
    const corrected = await deps.disposals.get(input.correctionOf);
    if (!corrected || corrected.department !== input.department) {
      throw new InvalidInput('訂正元の記録が見つからないか、課が異なります。', [
        { path: 'correctionOf', message: '訂正元の記録がありません。' },
      ]);
    }
  }
  const now = deps.clock.now().toISOString();
  const { contractor, certificateNumber, description, correctionOf, ...rest } = input;
  const disposal: Disposal = {
    ...rest,
    ...(contractor ? { contractor } : {}),
    ...(certificateNumber ? { certificateNumber } : {}),
    ...(description ? { description } : {}),
    ...(correctionOf ? { correctionOf } : {}),
    disposalId: deps.ids.next(),
    fiscalYear: fiscalYearOfDate(input.disposedOn),
    verifiedPhotoIds: [],
    version: 1,
    createdBy: actor.sub,
    createdAt: now,
    updatedAt: now,
  };
  await deps.writer.commit([change(deps, actor, now, 'disposal', disposal.disposalId, 'disposal.recorded', null, disposal)]);
  return disposalView(deps, disposal);
}

/** One record with `complete` and what is missing; one of a 課 the caller may not see is 404. */
export async function getDisposal(deps: Deps, actor: Actor, disposalId: string): Promise<DisposalView> {
  const d = await loadVisible(deps, actor, 'disposal', disposalId);
  return disposalView(deps, d);
}

/** Records of a 年度 (default: the current one in Japan), by 課; section roles see their own. */
export async function listDisposals(
  deps: Deps,
  actor: Actor,
  query: { department?: string | undefined; fiscalYear?: number | undefined } & PageRequest,
): Promise<Page<DisposalView>> {
  const department = listDepartment(deps, actor, 'disposal:list', query.department);
  const page = await deps.disposals.list({ ...query, department, fiscalYear: query.fiscalYear ?? fiscalYearOf(deps.clock.now()) });
  return { items: page.items.map((d) => disposalView(deps, d)), nextCursor: page.nextCursor };
}
