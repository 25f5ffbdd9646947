import { disposalBody } from '#test/support/audit-data.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { html, jpeg, pdf, png, sha256 } from '#test/fixtures/files.js';
import { type TestStack, planBody, startTestStack } from '#test/support/stack.js';

let stack: TestStack;
let planId: string;
let findingId: string;
let actionId: string;

const lead = 'policy-director';

beforeAll(async () => {
  stack = await startTestStack();
  planId = (await stack.call('POST', '/plans', { as: lead, body: planBody() })).body.planId;
  await stack.call('POST', `/plans/${planId}/submit`, { as: lead });
  await stack.call('POST', `/plans/${planId}/approve`, { as: 'vice-mayor' });
  await stack.call('POST', `/plans/${planId}/start`, { as: lead });
  findingId = (
    await stack.call('POST', `/plans/${planId}/findings`, {
      as: 'dx-manager',
      body: {
        department: 'citizens',
        article: '第18条第4項',
        rating: 'minor',
        title: '廃棄証明の写真がない',
        observation: '委託廃棄の証明書に写真がない',
      },
    })
  ).body.findingId;
  actionId = (
    await stack.call('POST', `/findings/${findingId}/actions`, {
      as: 'dx-manager',
      body: { description: '写真付き証明書を受領する', dueDate: '2099-01-31' },
    })
  ).body.actionId;
});
afterAll(async () => {
  await stack.close();
});

/** Ask for an upload, send the bytes with the presigned POST as multipart form data, wait for verification. */
async function upload(
  as: string,
  target: { type: string; id: string },
  file: { bytes: Buffer; name: string; type: string; declare?: Partial<{ size: number; sha256: string; contentType: string }> },
) {
  const request = await stack.call('POST', '/evidence', {
    as,
    body: {
      target,
      fileName: file.name,
      contentType: file.declare?.contentType ?? file.type,
      size: file.declare?.size ?? file.bytes.length,
      sha256: file.declare?.sha256 ?? sha256(file.bytes),
    },
  });
  expect(request.status, request.text).toBe(201);
  const { url, fields } = request.body.upload as { url: string; fields: Record<string, string> };
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([file.bytes], { type: file.type }), file.name);
  const sent = await fetch(url, { method: 'POST', body: form });
  expect(sent.status).toBeLessThan(300);
  await stack.s3.settled();
  const evidence = await stack.call('GET', `/evidence/${request.body.evidenceId}`, { as });
  return { request, evidence: evidence.body };
}

describe('evidence from phones straight to S3 (presigned POST, verified on arrival)', () => {
  it('a real JPEG and a real PDF end verified; the key never holds the file name', async () => {
    const photo = await upload(
      'citizens-staff',
      { type: 'action', id: actionId },
      { bytes: jpeg, name: '廃棄証明書 2026.jpg', type: 'image/jpeg' },
    );
    expect(photo.request.body.upload.fields.key).toMatch(/^incoming\/action\/[0-9A-Z]{26}\/[0-9A-Z]{26}$/);
    expect(photo.request.body.upload.fields.key).not.toContain('廃棄');
    expect(photo.evidence).toMatchObject({ status: 'verified', detectedType: 'image/jpeg', fileName: '廃棄証明書 2026.jpg' });
    // Nothing scans for malware locally: recorded as skipped, never as clean.
    expect(photo.evidence.malwareScan).toEqual({ status: 'skipped', at: photo.evidence.verifiedAt });
    expect(photo.evidence.objectKey).toMatch(/^evidence\//);

    const doc = await upload(lead, { type: 'plan', id: planId }, { bytes: pdf, name: '監査計画書.pdf', type: 'application/pdf' });
    expect(doc.evidence).toMatchObject({ status: 'verified', detectedType: 'application/pdf' });
  });

  it('rejects a wrong SHA-256, a PNG declared as PDF, HTML named .jpg and an oversized upload, each with its reason', async () => {
    const wrongHash = await upload(
      'citizens-staff',
      { type: 'action', id: actionId },
      { bytes: jpeg, name: 'a.jpg', type: 'image/jpeg', declare: { sha256: sha256(png) } },
    );
    expect(wrongHash.evidence.status).toBe('rejected');
    expect(wrongHash.evidence.rejectReason).toContain('SHA-256');
    expect(wrongHash.evidence.objectKey).toMatch(/^quarantine\//);

    const pngAsPdf = await upload(
      'citizens-staff',
      { type: 'action', id: actionId },
      { bytes: png, name: 'b.pdf', type: 'application/pdf' },
    );
    expect(pngAsPdf.evidence).toMatchObject({ status: 'rejected', detectedType: 'image/png' });
    expect(pngAsPdf.evidence.rejectReason).toContain('application/pdf');

    const htmlAsJpeg = await upload('citizens-staff', { type: 'action', id: actionId }, { bytes: html, name: 'c.jpg', type: 'image/jpeg' });
    expect(htmlAsJpeg.evidence.status).toBe('rejected');
    expect(htmlAsJpeg.evidence.rejectReason).toContain('一致しません');

    const big = Buffer.concat([jpeg, Buffer.alloc(4096)]);
    const oversized = await upload(
      'citizens-staff',
      { type: 'action', id: actionId },
      { bytes: big, name: 'd.jpg', type: 'image/jpeg', declare: { size: jpeg.length, sha256: sha256(jpeg) } },
    );
    expect(oversized.evidence.status).toBe('rejected');
    expect(oversized.evidence.rejectReason).toContain('サイズ');

    const download = await stack.call('GET', `/evidence/${wrongHash.evidence.evidenceId}/download`, { as: 'citizens-staff' });
    expect(download.status).toBe(409);
  });

  it('refuses a type outside the allow-list (415) and a file over the limit (413) before any upload', async () => {
    const exe = await stack.call('POST', '/evidence', {
      as: lead,
      body: {
        target: { type: 'plan', id: planId },
        fileName: 'x.exe',
        contentType: 'application/x-msdownload',
        size: 10,
        sha256: sha256(jpeg),
      },
    });
    expect(exe.status).toBe(415);
    const huge = await stack.call('POST', '/evidence', {
      as: lead,
      body: {
        target: { type: 'plan', id: planId },
        fileName: 'x.pdf',
        contentType: 'application/pdf',
        size: 21 * 1024 * 1024,
        sha256: sha256(jpeg),
      },
    });
    expect(huge.status).toBe(413);
    expect(huge.headers.get('content-type')).toContain('application/problem+json');
  });

  it('a duplicate notification or a second upload of the same evidence changes nothing', async () => {
    const first = await upload('citizens-staff', { type: 'action', id: actionId }, { bytes: jpeg, name: 'e.jpg', type: 'image/jpeg' });
    expect(first.evidence.status).toBe('verified');
    const form = new FormData();
    for (const [k, v] of Object.entries(first.request.body.upload.fields as Record<string, string>)) form.append(k, v);
    form.append('file', new Blob([png], { type: 'image/jpeg' }), 'e.jpg');
    await fetch(first.request.body.upload.url, { method: 'POST', body: form });
    await stack.s3.settled();
    const after = (await stack.call('GET', `/evidence/${first.evidence.evidenceId}`, { as: 'citizens-staff' })).body;
    expect(after).toMatchObject({ status: 'verified', version: first.evidence.version, sha256: sha256(jpeg) });
  });

  it('downloads through a short-lived link under the Japanese file name, and records who downloaded', async () => {
    const photo = await upload(
      'citizens-staff',
      { type: 'action', id: actionId },
      { bytes: jpeg, name: '施錠キャビネット.jpg', type: 'image/jpeg' },
    );
    const link = await stack.call('GET', `/evidence/${photo.evidence.evidenceId}/download`, { as: 'citizens-manager' });
    expect(link.status).toBe(200);
    expect(new Date(link.body.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(5 * 60 * 1000);
    const got = await fetch(link.body.url);
    expect(Buffer.from(await got.arrayBuffer()).equals(jpeg)).toBe(true);
    expect(decodeURIComponent(got.headers.get('content-disposition') ?? '')).toContain('施錠キャビネット.jpg');
    const trail = await stack.call('GET', `/audit-log?entityType=evidence&entityId=${photo.evidence.evidenceId}`, { as: lead });
    expect(trail.body.items.map((e: { action: string; actor: { sub: string } }) => `${e.action}:${e.actor.sub}`)).toEqual([
      'evidence.registered:citizens-staff',
      'evidence.verified:system:evidence-verifier',
      'evidence.downloaded:citizens-manager',
    ]);
    // The download is on the evidence's hash chain too.
    const verified = await stack.call('GET', `/audit-log/verify?entityType=evidence&entityId=${photo.evidence.evidenceId}`, { as: lead });
    expect(verified.body).toMatchObject({ valid: true, events: 3 });
  });

  it('another 課 can neither attach to nor download from a finding of a 課 not theirs', async () => {
    // An action of another 課 is not there for them (404, as an unknown id), to attach to either.
    const attach = await stack.call('POST', '/evidence', {
      as: 'tax-staff',
      body: {
        target: { type: 'action', id: actionId },
        fileName: 'x.jpg',
        contentType: 'image/jpeg',
        size: jpeg.length,
        sha256: sha256(jpeg),
      },
    });
    expect(attach.status).toBe(404);
    const photo = await upload(lead, { type: 'finding', id: findingId }, { bytes: jpeg, name: 'f.jpg', type: 'image/jpeg' });
    expect((await stack.call('GET', `/evidence/${photo.evidence.evidenceId}/download`, { as: 'tax-manager' })).status).toBe(404);
  });
});

describe('disposal records (第18条)', () => {
  const outsourced = disposalBody('citizens', { disposedOn: '2026-11-20' });

  it('an outsourced disposal stays incomplete until a photo is verified; a witness completes it; in-house is complete', async () => {
    const d = await stack.call('POST', '/disposals', { as: 'citizens-staff', body: outsourced });
    expect(d.status).toBe(201);
    expect(d.body).toMatchObject({ complete: false, fiscalYear: 2026 });
    expect(d.body.missing[0]).toContain('（運用上のルール。第18条第4項: 必要に応じて立会い又は写真等を付した書類）');

    await upload(
      'citizens-staff',
      { type: 'disposal', id: d.body.disposalId },
      { bytes: pdf, name: '証明書.pdf', type: 'application/pdf' },
    );
    expect((await stack.call('GET', `/disposals/${d.body.disposalId}`, { as: 'citizens-staff' })).body.complete).toBe(false);
    await upload(
      'citizens-staff',
      { type: 'disposal', id: d.body.disposalId },
      { bytes: jpeg, name: '溶解証明書.jpg', type: 'image/jpeg', declare: { sha256: sha256(png) } },
    );
    expect((await stack.call('GET', `/disposals/${d.body.disposalId}`, { as: 'citizens-staff' })).body.complete).toBe(false);
    await upload(
      'citizens-staff',
      { type: 'disposal', id: d.body.disposalId },
      { bytes: jpeg, name: '溶解証明書.jpg', type: 'image/jpeg' },
    );
    expect((await stack.call('GET', `/disposals/${d.body.disposalId}`, { as: 'citizens-staff' })).body).toMatchObject({
      complete: true,
      missing: [],
    });

    expect(
      (await stack.call('POST', '/disposals', { as: 'citizens-staff', body: { ...outsourced, witness: 'citizens-manager' } })).body
        .complete,
    ).toBe(true);
    const { contractor: _c, ...inHouse } = outsourced;
    expect((await stack.call('POST', '/disposals', { as: 'citizens-staff', body: inHouse })).body.complete).toBe(true);
  });

  it('only the 課 itself (or the 監査責任者) records, and other 課 cannot see it', async () => {
    expect((await stack.call('POST', '/disposals', { as: 'tax-staff', body: outsourced })).status).toBe(403);
    const d = await stack.call('POST', '/disposals', { as: lead, body: outsourced });
    expect(d.status).toBe(201);
    expect((await stack.call('GET', `/disposals/${d.body.disposalId}`, { as: 'tax-staff' })).status).toBe(404);
    const mine = await stack.call('GET', '/disposals?fiscalYear=2026', { as: 'citizens-manager' });
    expect(mine.body.items.every((x: { department: string }) => x.department === 'citizens')).toBe(true);
  });
});
