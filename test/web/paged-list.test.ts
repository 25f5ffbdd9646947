// @vitest-environment happy-dom
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { h } from 'preact';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { ApiError } from '../../web/src/api.js';
import { PagedList, type PagedState } from '../../web/src/components/ui.js';
import { usePaged } from '../../web/src/hooks.js';
import { SessionContext } from '../../web/src/session.js';
import { json, meOf, sessionFor, startServer, type TestServer } from './support.js';

interface Item {
  id: string;
  name: string;
}

function state(over: Partial<PagedState<Item>> = {}): PagedState<Item> {
  return { items: [], loading: false, error: undefined, hasMore: false, more: vi.fn(), reload: vi.fn(), ...over };
}

function renderList(list: PagedState<Item>, props: { items?: Item[]; empty?: string; as?: 'ul' | 'ol'; class?: string } = {}) {
  return render(
    h(PagedList<Item>, { list, keyOf: (i: Item) => i.id, ...props, children: (i: Item) => h('a', { href: `/items/${i.id}` }, i.name) }),
  );
}

const offline = new ApiError({ status: 0, title: '通信エラー', detail: '通信できませんでした。' });
const two = [
  { id: 'a', name: '一つ目' },
  { id: 'b', name: '二つ目' },
];

afterEach(cleanup);

describe('PagedList: the states of a paged list', () => {
  it('says 読み込み中 until the first page arrives, and nothing else', () => {
    renderList(state({ loading: true }));
    expect(screen.getByRole('status').textContent).toBe('読み込み中…');
    expect(screen.queryByRole('list')).toBeNull();
    expect(screen.queryByText('まだありません')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('keeps the loaded items while the next page loads, with the button disabled', () => {
    renderList(state({ items: two, loading: true, hasMore: true }));
    expect(screen.queryByText('読み込み中…')).toBeNull();
    expect(screen.getAllByRole('listitem')).toHaveLength(2);
    expect((screen.getByRole('button', { name: 'さらに読み込む' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows the empty text: the default one, or the one given', () => {
    renderList(state());
    expect(screen.getByText('まだありません').className).toBe('state');
    expect(screen.queryByRole('list')).toBeNull();
    expect(screen.queryByRole('button')).toBeNull();
    cleanup();
    renderList(state(), { empty: 'この期間の点検はありません' });
    expect(screen.getByText('この期間の点検はありません')).toBeTruthy();
    expect(screen.queryByText('まだありません')).toBeNull();
  });

  it('shows the problem instead of the empty text, and 再試行 reloads', () => {
    const list = state({ error: offline });
    renderList(list);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('通信エラー');
    expect(alert.textContent).toContain('通信できませんでした。');
    expect(screen.queryByText('まだありません')).toBeNull();
    expect(screen.queryByRole('list')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: '再試行' }));
    expect(list.reload).toHaveBeenCalledTimes(1);
  });

  it('keeps the loaded items under the problem of a later page', () => {
    renderList(state({ items: two, error: offline, hasMore: true }));
    expect(screen.getByRole('alert')).toBeTruthy();
    expect(screen.getAllByRole('listitem')).toHaveLength(2);
    expect(screen.getByRole('button', { name: 'さらに読み込む' })).toBeTruthy();
  });

  it('renders one <li> an item in <ul class="cards">, and さらに読み込む asks for more', () => {
    const list = state({ items: two, hasMore: true });
    const { container } = renderList(list);
    const ul = container.querySelector('ul.cards');
    expect(ul).not.toBeNull();
    expect([...ul!.querySelectorAll(':scope > li > a')].map((a) => [a.getAttribute('href'), a.textContent])).toEqual([
      ['/items/a', '一つ目'],
      ['/items/b', '二つ目'],
    ]);
    const more = screen.getByRole('button', { name: 'さらに読み込む' }) as HTMLButtonElement;
    expect(more.disabled).toBe(false);
    expect(more.className).toBe('secondary');
    fireEvent.click(more);
    expect(list.more).toHaveBeenCalledTimes(1);
  });

  it('has no さらに読み込む on the last page', () => {
    renderList(state({ items: two }));
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('takes another list element and class', () => {
    const { container } = renderList(state({ items: two }), { as: 'ol', class: 'history' });
    expect(container.querySelector('ol.history')?.children).toHaveLength(2);
    expect(container.querySelector('ul')).toBeNull();
  });

  it('shows a part of the loaded items: empty when none of them qualifies, 読み込み中 only before the first page', () => {
    renderList(state({ items: two, hasMore: true }), { items: [], empty: '未完了はありません' });
    expect(screen.getByText('未完了はありません')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'さらに読み込む' })).toBeTruthy();
    cleanup();
    renderList(state({ items: two, loading: true }), { items: [] });
    expect(screen.queryByText('読み込み中…')).toBeNull();
    expect(screen.getByText('まだありません')).toBeTruthy();
    cleanup();
    renderList(state({ items: two }), { items: [two[1]!] });
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['二つ目']);
  });
});

describe('PagedList with usePaged against a server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer((req, res) => {
      const url = new URL(req.url, 'http://x');
      if (url.pathname !== '/items') return json(res, 404, { title: '見つかりません', status: 404, detail: '見つかりません。' });
      if (url.searchParams.get('cursor') === 'page2') return json(res, 200, { items: [{ id: 'c', name: '三つ目' }], nextCursor: null });
      json(res, 200, { items: two, nextCursor: 'page2' });
    });
  });
  afterAll(() => server.close());

  function Items() {
    const list = usePaged<Item>('/items');
    return h(PagedList<Item>, { list, keyOf: (i: Item) => i.id, children: (i: Item) => i.name });
  }

  it('loads the first page, appends the next on さらに読み込む and then offers no more', async () => {
    const session = sessionFor(server.baseUrl, meOf('someone', ['sectionStaff']));
    render(h(SessionContext.Provider, { value: session, children: h(Items, {}) }));
    expect(screen.getByRole('status').textContent).toBe('読み込み中…');
    await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(2));
    fireEvent.click(screen.getByRole('button', { name: 'さらに読み込む' }));
    await waitFor(() => expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['一つ目', '二つ目', '三つ目']));
    expect(screen.queryByRole('button', { name: 'さらに読み込む' })).toBeNull();
    expect(server.requests.map((r) => new URL(r.url, 'http://x').searchParams.get('cursor'))).toEqual([null, 'page2']);
  });
});
