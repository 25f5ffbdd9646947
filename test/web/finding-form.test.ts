// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { h } from 'preact';
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { FindingForm } from '../../web/src/pages/findings.js';
import { previewScope } from '../../web/src/scope-preview.js';
import { SessionContext } from '../../web/src/session.js';
import type { Plan } from '../../web/src/types.js';
import type { Role } from '#lib/domain/roles.js';
import { koriyama, meOf, sessionFor } from './support.js';

const plan = {
  planId: '01JPLAN0000000000000000001',
  auditedDepartments: ['citizens'],
  status: 'inProgress',
  fiscalYear: 2026,
} as unknown as Plan;

function renderForm(roles: Role[]) {
  const session = sessionFor('http://127.0.0.1:9', meOf('someone', roles));
  render(h(SessionContext.Provider, { value: session, children: h(FindingForm, { plan, onSaved: () => {} }) }));
  return {
    article: screen.getByLabelText(/^条項/) as HTMLInputElement,
    paragraph: screen.getByLabelText('項（任意）') as HTMLInputElement,
    preview: () => screen.getByTestId('scope-preview').textContent ?? '',
  };
}

afterEach(cleanup);

describe('finding form: the scope before saving (第7条の2第3項)', () => {
  it('routes articles as the server does, range branches and 第11条 by paragraph included', () => {
    expect(previewScope(koriyama, '第17条の2（誤送付等の防止）', '')).toMatchObject({
      ok: true,
      label: '第17条の2',
      scope: 'dx',
      owner: '監査補助者（DX戦略課長）',
    });
    expect(previewScope(koriyama, '第4条の2', '')).toMatchObject({ ok: true, scope: 'koho', owner: '監査補助者（広報広聴課長）' });
    expect(previewScope(koriyama, '第11条', '5')).toMatchObject({ ok: true, label: '第11条第5項', scope: 'dx' });
    expect(previewScope(koriyama, '第11条', '2')).toMatchObject({ ok: true, scope: 'koho' });
    expect(previewScope(koriyama, '第26条', '')).toMatchObject({ ok: true, scope: 'lead', owner: '監査責任者' });
    expect(previewScope(koriyama, '第11条', '')).toMatchObject({ ok: false, message: expect.stringContaining('項を指定してください') });
    expect(previewScope(koriyama, '第40条', '')).toMatchObject({ ok: false, message: expect.stringContaining('第40条は') });
  });

  it('offers the catalogue as a searchable list and shows the scope and owner as the article is typed', () => {
    const f = renderForm(['auditorDx', 'sectionManager']);
    const options = [...document.querySelectorAll('#article-catalogue option')].map((o) => o.getAttribute('value'));
    expect(options).toContain('第17条の2（誤送付等の防止）');
    expect(f.article.getAttribute('list')).toBe('article-catalogue');

    fireEvent.input(f.article, { target: { value: '第17条の2（誤送付等の防止）' } });
    expect(f.preview()).toContain('監査補助者（DX戦略課長） の監査範囲です。');
    expect(f.preview()).not.toContain('第7条の2第3項');

    fireEvent.input(f.article, { target: { value: '第11条' } });
    expect(f.preview()).toContain('項を指定してください');
    fireEvent.input(f.paragraph, { target: { value: '1' } });
    expect(f.preview()).toContain('第11条第1項');
    expect(f.preview()).toContain('監査補助者（DX戦略課長）');
  });

  it('tells an assistant auditor before saving that an article is outside their scope', () => {
    const f = renderForm(['auditorKoho', 'sectionManager']);
    fireEvent.input(f.article, { target: { value: '第17条の2' } });
    expect(f.preview()).toContain('監査補助者（DX戦略課長）の監査範囲です。');
    expect(f.preview()).toContain('第7条の2第3項');
  });

  it('the 監査責任者 may record on any article', () => {
    const f = renderForm(['auditLead', 'deputyManager']);
    fireEvent.input(f.article, { target: { value: '第17条の2' } });
    expect(f.preview()).toContain('監査補助者（DX戦略課長） の監査範囲です。');
    expect(f.preview()).not.toContain('第7条の2第3項');
  });
});

describe('finding form: the record a finding cites', () => {
  const scheduled = { ...plan, schedule: { from: '2026-10-01', to: '2026-11-30' } } as unknown as Plan;
  const renderScheduled = (roles: Role[]) => {
    const session = sessionFor('http://127.0.0.1:9', meOf('someone', roles));
    render(h(SessionContext.Provider, { value: session, children: h(FindingForm, { plan: scheduled, onSaved: () => {} }) }));
    fireEvent.change(screen.getByLabelText(/^被監査部門（課）/), { target: { value: 'citizens' } });
    return screen.getByLabelText(/^条項/) as HTMLInputElement;
  };
  const citation = () => screen.queryByRole('group', { name: '引用する記録（任意）' });

  it("offers the 課's register on the designation's article, as of the audit date, and attendance on training's", () => {
    const article = renderScheduled(['auditorDx']);
    fireEvent.input(article, { target: { value: '第9条' } });
    expect(citation()).toBeNull();
    fireEvent.input(article, { target: { value: '第8条（事務取扱担当者の指定）' } });
    const record = screen.getByLabelText('記録') as HTMLSelectElement;
    expect([...record.options].map((o) => o.text)).toEqual(['引用しない', '職員名簿']);
    fireEvent.change(record, { target: { value: 'staffRegister' } });
    const asOf = screen.getByLabelText(/^基準日（監査日）/) as HTMLInputElement;
    expect(asOf.value).toMatch(/^2026-1[01]-\d\d$/);
    expect(asOf.value >= '2026-10-01' && asOf.value <= '2026-11-30').toBe(true);

    fireEvent.input(screen.getByLabelText('項（任意）'), { target: { value: '5' } });
    fireEvent.input(article, { target: { value: '第11条' } });
    expect([...(screen.getByLabelText('記録') as HTMLSelectElement).options].map((o) => o.text)).toEqual(['引用しない', '研修の受講状況']);
  });

  it('offers no register to an auditor who does not read it', () => {
    const article = renderScheduled(['auditorKoho']);
    fireEvent.input(article, { target: { value: '第8条' } });
    expect(citation()).toBeNull();
  });
});
