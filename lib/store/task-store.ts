import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest, TaskReader } from '#lib/app/ports.js';
import { InvalidInput } from '#lib/domain/errors.js';
import type { Task, TaskAssignee, TaskStatus, TaskSubjectType } from '#lib/domain/task.js';
import { translateAwsError } from './errors.js';
import { keys, lists } from './keys.js';
import { entityStore, stripKeys } from './table.js';

/** A merged list's cursor: the sort key of the last task answered (`open#2027-04-30#<ulid>`). */
const cursorPattern = /^(open|done)#\d{4}-\d{2}-\d{2}#[0-9A-HJKMNP-TV-Z]{26}$/;
const badCursor = () =>
  new InvalidInput(
    'cursor が正しくありません。一覧の最初から取得し直してください。',
    [{ path: 'cursor', message: '不正なカーソルです。' }],
    'invalid-cursor',
  );

function decodeAfter(cursor: string | undefined, status: TaskStatus): string | undefined {
  if (cursor === undefined) return undefined;
  const after = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!cursorPattern.test(after) || !after.startsWith(`${status}#`)) throw badCursor();
  return after;
}

/** タスク reads: by id (one GetItem, or one BatchGetItem for several), by assignee, 課 and subject from indexes. */
export class DynamoTaskStore extends entityStore('task') implements TaskReader {
  async getMany(taskIds: readonly string[]): Promise<Task[]> {
    const ids = [...new Set(taskIds)];
    if (ids.length === 0) return [];
    const found: Task[] = [];
    // BatchGetItem takes 100 keys; what it leaves unprocessed is asked again.
    for (let i = 0; i < ids.length; i += 100) {
      let request: Record<string, { Keys: object[]; ConsistentRead: boolean }> | undefined = {
        [this.tableName]: { Keys: ids.slice(i, i + 100).map((id) => keys.entity('task', id)), ConsistentRead: true },
      };
      while (request && Object.keys(request).length > 0) {
        const out = await this.doc.send(new BatchGetCommand({ RequestItems: request })).catch(translateAwsError);
        found.push(...(out.Responses?.[this.tableName] ?? []).map((item) => stripKeys<Task>(item)));
        request = out.UnprocessedKeys as typeof request;
      }
    }
    return found;
  }

  async listForAssignees(assignees: readonly TaskAssignee[], query: { status: TaskStatus } & PageRequest): Promise<Page<Task>> {
    const after = decodeAfter(query.cursor, query.status);
    const pages = await Promise.all(
      assignees.map((a) => this.query(lists.tasksForAssignee(a, query.status, after), { limit: query.limit })),
    );
    const merged = pages.flatMap((p) => p.items).sort((a, b) => (keys.taskSort(a) < keys.taskSort(b) ? -1 : 1));
    const items = merged.slice(0, query.limit);
    const more = merged.length > query.limit || pages.some((p) => p.nextCursor !== null);
    const last = items.at(-1);
    return { items, nextCursor: more && last ? Buffer.from(keys.taskSort(last), 'utf8').toString('base64url') : null };
  }

  listForDepartment(department: string, query: { status: TaskStatus } & PageRequest): Promise<Page<Task>> {
    return this.query(lists.tasksOfDepartment(department, query.status), query);
  }

  async openOfSubject(type: TaskSubjectType, id: string): Promise<Task[]> {
    return (await this.query(lists.openTasksOfSubject(type, id), { limit: 100 })).items;
  }
}
