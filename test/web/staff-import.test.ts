// @vitest-environment happy-dom
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { h } from 'preact';
import { LocationProvider } from 'preact-iso';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import StaffRegister from '../../web/src/pages/staff.js';
import { SessionContext } from '../../web/src/session.js';
import type { StaffImportPreview } from '../../web/src/types.js';
import { json, meOf, sessionFor, startServer, type TestServer } from './support.js';

const clean: StaffImportPreview = {
  department: 'citizens',
  encoding: 'Shift_JIS',
  effectiveFrom: '2026-10-01',
  rows: 3,
  changes: [
    { row: 2, action: 'add', name: '安積 一郎', employeeNumber: 'A001', fields: [] },
    { row: 3, action: 'update', staffId: '01JSTAFF000000000000000001', name: '大槻 花子', employeeNumber: 'A002', fields: ['役職'] },
    { row: 4, action: 'unchanged', staffId: '01JSTAFF000000000000000002', name: '日和田 次郎', employeeNumber: 'A003', fields: [] },
  ],
  counts: { add: 1, update: 1, end: 0, unchanged: 1 },
  errors: [],
};
let preview: StaffImportPreview = clean;

let server: TestServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/staff/import')
      return url.searchParams.get('dryRun') === 'true' ? json(res, 200, preview) : json(res, 201, { ...preview, applied: true });
    json(res, 200, { items: [], nextCursor: null });
  });
});
afterEach(() => cleanup());
afterAll(async () => {
  await server.close();
});

function show() {
  const session = sessionFor(server.baseUrl, meOf('citizens-manager', ['sectionManager'], 'citizens'));
  render(h(SessionContext.Provider, { value: session, children: h(LocationProvider, { children: h(StaffRegister, {}) }) }));
}

async function choose(csv: string) {
  fireEvent.click(await screen.findByRole('button', { name: 'CSVから取り込む' }));
  const input = screen.getByLabelText('CSVファイル') as HTMLInputElement;
  const file = new File([csv], '職員名簿.csv', { type: 'text/csv' });
  Object.defineProperty(input, 'files', { value: [file] });
  fireEvent.change(input);
}

describe('importing the HR department CSV', () => {
  it('previews the changes first (the unchanged only counted), then applies the same file under one Idempotency-Key', async () => {
    preview = clean;
    show();
    await choose('職員番号,氏名,役職,区分\nA001,安積 一郎,主事,職員\n');
    const table = await screen.findByRole('table', { name: '取込みによる変更' });
    expect([...table.querySelectorAll('tbody tr')].map((r) => r.textContent)).toEqual(['2追加安積 一郎A001—', '3変更大槻 花子A002役職']);
    expect(screen.getByText(/文字コード Shift_JIS・3行/).textContent).toContain('追加 1人・変更 1人・変更なし 1人');
    const dry = server.requests.filter((r) => r.url.includes('/staff/import'));
    expect(dry).toHaveLength(1);
    expect(dry[0]?.headers['content-type']).toBe('application/octet-stream');
    expect(dry[0]?.body).toContain('A001,安積 一郎');
    fireEvent.click(screen.getByRole('button', { name: '名簿に反映する' }));
    await screen.findByText(/名簿に反映しました/);
    const applied = server.requests.filter((r) => r.url.includes('/staff/import') && !r.url.includes('dryRun'));
    expect(applied).toHaveLength(1);
    expect(new URL(applied[0]?.url ?? '', 'http://x').searchParams.get('department')).toBe('citizens');
    expect(applied[0]?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lists every refused row and offers no apply', async () => {
    preview = { ...clean, errors: [{ row: 3, path: '区分', message: '区分は職員、派遣労働者、会計年度任用職員のいずれかです。' }] };
    show();
    await choose('職員番号,氏名,役職,区分\nA002,大槻 花子,主査,正社員\n');
    await screen.findByText('3行目（区分）: 区分は職員、派遣労働者、会計年度任用職員のいずれかです。');
    await waitFor(() => expect(screen.queryByRole('button', { name: '名簿に反映する' })).toBeNull());
  });
});
