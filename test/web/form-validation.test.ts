// @vitest-environment happy-dom
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { h } from 'preact';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { PlanForm } from '../../web/src/components/plan-form.js';
import { ContractorForm } from '../../web/src/components/contractor-form.js';
import { SessionContext } from '../../web/src/session.js';
import { json, meOf, sessionFor, startServer, type TestServer } from './support.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer((_req, res) => json(res, 500, { title: 'x', status: 500, detail: 'x' }));
});
afterEach(cleanup);
afterAll(() => server.close());

/** The control labelled `label` and the text its aria-describedby points to. */
function described(label: string | RegExp): { control: HTMLElement; description: string } {
  const control = screen.getByLabelText(label);
  const ids = (control.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  return { control, description: ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ') };
}

describe('forms check their body with the server schema before sending', () => {
  it('様式第4号: the Japanese message beside each field, the problem above the buttons, nothing sent', async () => {
    const session = sessionFor(server.baseUrl, meOf('lead', ['auditLead']));
    render(h(SessionContext.Provider, { value: session, children: h(PlanForm, { defaultFiscalYear: 2026, onSaved: () => {} }) }));
    fireEvent.submit(screen.getByRole('button', { name: '保存' }).closest('form')!);

    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('本文の内容に誤りがあります。'));
    const purpose = described(/^監査目的/);
    expect(purpose.control.getAttribute('aria-invalid')).toBe('true');
    expect(purpose.description).toBe('監査目的を入力してください。');
    expect(described(/^監査範囲/).description).toBe('監査範囲を入力してください。');
    expect(described(/^開始日/).control.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('監査方法を1つ以上指定してください。')).toBeTruthy();
    expect(described(/^年度/).control.getAttribute('aria-invalid')).toBeNull();
    expect(server.requests).toHaveLength(0);
  });

  it('委託先: a contract that ends before it starts is refused on the client, with the schema message', async () => {
    const session = sessionFor(server.baseUrl, meOf('citizens-manager', ['sectionManager'], 'citizens'));
    render(h(SessionContext.Provider, { value: session, children: h(ContractorForm, { onSaved: () => {} }) }));
    fireEvent.input(screen.getByLabelText(/^委託先の名称/), { target: { value: '株式会社テスト' } });
    fireEvent.input(screen.getByLabelText(/^取り扱う個人情報/), { target: { value: '住民票の写し' } });
    fireEvent.input(screen.getByLabelText(/^契約開始日/), { target: { value: '2026-10-01' } });
    fireEvent.input(screen.getByLabelText(/^契約終了日/), { target: { value: '2026-04-01' } });
    fireEvent.submit(screen.getByRole('button', { name: '保存' }).closest('form')!);
    await waitFor(() => expect(screen.getByRole('alert')).toBeTruthy());
    const end = described(/^契約終了日/);
    expect(end.control.getAttribute('aria-invalid')).toBe('true');
    expect(end.description).toBe('契約期間の終了日は開始日以降にしてください。');
    expect(server.requests).toHaveLength(0);
  });
});
