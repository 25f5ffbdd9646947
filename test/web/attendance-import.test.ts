// @vitest-environment happy-dom
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { h } from 'preact';
import { LocationProvider } from 'preact-iso';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import TrainingDetail from '../../web/src/pages/training-detail.js';
import { SessionContext } from '../../web/src/session.js';
import type { AttendanceImportPreview, TrainingView } from '../../web/src/types.js';
import { json, meOf, sessionFor, startServer, type TestServer } from './support.js';

const trainingId = '01JTRAINING000000000000001';
const training: TrainingView = {
  trainingId,
  fiscalYear: 2026,
  name: '個人情報保護研修',
  timing: { from: '2026-07-01', to: '2026-07-31' },
  audience: ['allStaff'],
  method: 'elearning',
  note: '',
  version: 1,
  createdBy: 'vice-mayor',
  createdAt: '2026-04-01T00:00:00Z',
  updatedAt: '2026-04-01T00:00:00Z',
  completion: [{ department: 'citizens', audience: 2, attended: 0, retaken: 0 }],
};
const clean: AttendanceImportPreview = {
  encoding: 'Shift_JIS',
  rows: 3,
  changes: [
    { row: 2, staffId: '01JSTAFF000000000000000001', name: '安積 一郎', attendedOn: '2026-07-15', action: 'record' },
    { row: 3, staffId: '01JSTAFF000000000000000002', name: '大槻 花子', attendedOn: '2026-08-20', action: 'record' },
    { row: 4, staffId: null, name: '日和田 次郎', attendedOn: null, action: 'skip' },
  ],
  errors: [],
};
let preview: AttendanceImportPreview = clean;

let server: TestServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === `/trainings/${trainingId}/attendance/import`)
      return url.searchParams.get('dryRun') === 'true'
        ? json(res, 200, preview)
        : json(res, 200, { rollId: `${trainingId}-citizens`, attended: [], version: 1 });
    if (url.pathname === `/trainings/${trainingId}`) return json(res, 200, training);
    json(res, 200, { items: [], nextCursor: null });
  });
});
afterEach(() => cleanup());
afterAll(async () => {
  await server.close();
});

function show() {
  const session = sessionFor(server.baseUrl, meOf('citizens-manager', ['sectionManager'], 'citizens'));
  render(h(SessionContext.Provider, { value: session, children: h(LocationProvider, { children: h(TrainingDetail, { trainingId }) }) }));
}

async function choose(csv: string) {
  const input = (await screen.findByLabelText('eラーニングの受講記録（CSV）を取り込む')) as HTMLInputElement;
  Object.defineProperty(input, 'files', { value: [new File([csv], '受講記録.csv', { type: 'text/csv' })] });
  fireEvent.change(input);
}

const importCalls = () => server.requests.filter((r) => r.url.includes('/attendance/import'));

describe('importing an e-learning system’s attendance CSV on the session page', () => {
  it('previews each row first (a later day marked 再受講), then records the same file', async () => {
    preview = clean;
    show();
    await choose('職員番号,修了日\nA001,2026/07/15 10:23\n');
    const table = await screen.findByRole('table', { name: '取込みの内容' });
    expect([...table.querySelectorAll('tbody tr')].map((r) => r.textContent)).toEqual([
      '2受講を記録安積 一郎令和8年7月15日（2026-07-15）',
      '3受講を記録（再受講）大槻 花子令和8年8月20日（2026-08-20）',
      '4未修了（読み飛ばし）日和田 次郎—',
    ]);
    expect(importCalls()).toHaveLength(1);
    expect(importCalls()[0]?.headers['content-type']).toBe('application/octet-stream');
    fireEvent.click(screen.getByRole('button', { name: '受講を記録する' }));
    await screen.findByText('2人の受講を記録しました。');
    const applied = importCalls().filter((r) => !r.url.includes('dryRun'));
    expect(applied).toHaveLength(1);
    expect(new URL(applied[0]?.url ?? '', 'http://x').searchParams.get('department')).toBe('citizens');
    expect(applied[0]?.body).toContain('A001,2026/07/15 10:23');
  });

  it('lists every refused row and offers no apply', async () => {
    preview = { ...clean, errors: [{ row: 3, path: '職員番号', message: '職員番号「Z9」の職員はこの課の職員名簿にいません。' }] };
    show();
    await choose('職員番号,修了日\nZ9,2026-07-15\n');
    await screen.findByText('3行目（職員番号）: 職員番号「Z9」の職員はこの課の職員名簿にいません。');
    await waitFor(() => expect(screen.queryByRole('button', { name: '受講を記録する' })).toBeNull());
  });
});
