// @vitest-environment happy-dom
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { h } from 'preact';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { allowedTypes, evidenceTypeList } from '#lib/domain/evidence.js';
import { EvidenceUploader, NetworkFailure, contentTypeOf, type UploadTransport } from '../../web/src/components/evidence.js';
import { SessionContext } from '../../web/src/session.js';
import { json, meOf, sessionFor, startServer, type TestServer } from './support.js';

const EVIDENCE_ID = '01JEVIDENCE0000000000000001';
let server: TestServer;
let polls = 0;

beforeAll(async () => {
  server = await startServer((req, res) => {
    if (req.method === 'POST' && req.url === '/evidence') {
      return json(res, 201, {
        evidenceId: EVIDENCE_ID,
        status: 'pending',
        upload: {
          url: `${server.baseUrl}/upload`,
          fields: { key: `incoming/action/x/${EVIDENCE_ID}` },
          expiresAt: new Date(Date.now() + 600_000).toISOString(),
        },
      });
    }
    if (req.method === 'GET' && req.url === `/evidence/${EVIDENCE_ID}`) {
      polls += 1;
      return json(res, 200, { evidenceId: EVIDENCE_ID, status: polls < 3 ? 'pending' : 'verified', fileName: 'cabinet.jpg' });
    }
    json(res, 404, { title: '見つかりません', status: 404, detail: '見つかりません。' });
  });
});
afterAll(async () => {
  cleanup();
  await server.close();
});

/** A transport that fails once as if offline, then reports progress and waits to be released. */
function flakyTransport() {
  const calls: { fields: Record<string, string>; file: File }[] = [];
  let release: () => void = () => {};
  const transport: UploadTransport = async (upload, file, onProgress) => {
    calls.push({ fields: upload.fields, file });
    if (calls.length === 1) throw new NetworkFailure('offline');
    onProgress(0.5);
    await new Promise<void>((r) => (release = r));
    onProgress(1);
  };
  return { transport, calls, release: () => release() };
}

describe('evidence uploader', () => {
  it('hashes in the browser, retries after a network failure, shows progress, then polls until 検証済み', async () => {
    const session = sessionFor(server.baseUrl, meOf('citizens-staff', ['sectionStaff'], 'citizens'));
    const t = flakyTransport();
    const created: string[] = [];
    render(
      h(SessionContext.Provider, {
        value: session,
        children: h(EvidenceUploader, {
          target: { type: 'action', id: '01JACTION000000000000000001' },
          transport: t.transport,
          pollMs: 10,
          onCreated: (id: string) => created.push(id),
        }),
      }),
    );
    const input = screen.getByLabelText('写真を撮影・ファイルを選択') as HTMLInputElement;
    expect(input.getAttribute('capture')).toBe('environment');
    // Exactly the types the API accepts (GET /profile), by type and by extension: no image/* that lets a GIF through to a 415.
    expect(input.accept.split(',')).toEqual([...Object.keys(allowedTypes), ...Object.values(allowedTypes).flatMap((t) => t.extensions)]);
    expect(input.accept).toContain('image/jpeg');
    expect(input.accept).toContain('.heic');
    expect(input.accept).not.toContain('image/*');

    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const file = new File([bytes], 'cabinet.jpg', { type: 'image/jpeg' });
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    fireEvent.change(input);

    // Offline: the message says so and offers 再試行.
    await screen.findByText('通信できませんでした。電波の良い場所で再試行してください。');
    const declared = JSON.parse(server.requests.find((r) => r.method === 'POST')?.body ?? '{}') as Record<string, unknown>;
    expect(declared).toMatchObject({ fileName: 'cabinet.jpg', contentType: 'image/jpeg', size: bytes.length, target: { type: 'action' } });
    expect(declared.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));

    fireEvent.click(screen.getByRole('button', { name: '再試行' }));
    const bar = (await screen.findByRole('progressbar')) as HTMLProgressElement;
    expect(bar.getAttribute('value')).toBe('50');
    expect(screen.getByText(/アップロード中 50%/)).toBeTruthy();

    t.release();
    await waitFor(() => expect(screen.getByText('検証済み')).toBeTruthy());
    expect(polls).toBeGreaterThanOrEqual(3);
    // The retry reused the presigned POST: one evidence record, two upload attempts.
    expect(server.requests.filter((r) => r.method === 'POST' && r.url === '/evidence')).toHaveLength(1);
    expect(t.calls).toHaveLength(2);
    expect(t.calls[1]?.fields.key).toBe(`incoming/action/x/${EVIDENCE_ID}`);
    expect(created).toEqual([EVIDENCE_ID]);
  });
});

describe('the type an upload declares', () => {
  const types = evidenceTypeList();
  it("is the browser's when the API accepts it, else the one the extension names", () => {
    expect(contentTypeOf({ name: 'cabinet.jpg', type: 'image/jpeg' }, types)).toBe('image/jpeg');
    expect(contentTypeOf({ name: 'IMG_0001.HEIC', type: '' }, types)).toBe('image/heic');
    expect(contentTypeOf({ name: '台帳.xlsx', type: 'application/octet-stream' }, types)).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(contentTypeOf({ name: 'anim.gif', type: 'image/gif' }, types)).toBe('image/gif');
    expect(contentTypeOf({ name: 'noname', type: '' }, types)).toBe('application/octet-stream');
  });
});
