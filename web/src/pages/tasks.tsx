import { TaskList } from '../components/task-list.js';
import { PageTitle } from '../components/ui.js';

/** タスク: what the periodic duties ask of me. */
export default function Tasks() {
  return (
    <>
      <PageTitle title="タスク">自分のタスク</PageTitle>
      <TaskList query={{ mine: 'true' }} empty="未完了のタスクはありません" />
    </>
  );
}
