import { describe, expect, it } from 'vitest';
import { createEvidence, verifyUpload } from '#lib/app/evidence.js';
import { completeness } from '#lib/domain/disposal.js';
import { contentDisposition } from '#lib/domain/content-disposition.js';
import { evidenceIdOfKey, incomingKey, judgeUpload } from '#lib/domain/evidence.js';
import { koka } from '#lib/profiles/koka.js';
import { koriyama } from '#lib/profiles/koriyama.js';
import { jpeg, pdf, png, sha256 } from '#test/fixtures/files.js';
import type { MemoryObjects } from './fakes.js';
import { actor, fakeDeps } from './fakes.js';

const declared = { size: jpeg.length, contentType: 'image/jpeg', sha256: sha256(jpeg) };

describe('judgeUpload: size, then type by magic bytes, then SHA-256', () => {
  it.each([
    ['the declared file', { size: jpeg.length, sha256: sha256(jpeg), detectedType: 'image/jpeg' }, 'verified', ''],
    ['larger than declared', { size: jpeg.length + 1, sha256: sha256(jpeg), detectedType: 'image/jpeg' }, 'rejected', 'サイズ'],
    ['a PNG declared as JPEG', { size: jpeg.length, sha256: sha256(jpeg), detectedType: 'image/png' }, 'rejected', 'image/png'],
    ['no recognisable type (HTML)', { size: jpeg.length, sha256: sha256(jpeg), detectedType: undefined }, 'rejected', '判別できない'],
    ['other bytes', { size: jpeg.length, sha256: sha256(png), detectedType: 'image/jpeg' }, 'rejected', 'SHA-256'],
  ] as const)('%s → %s', (_name, seen, status, reason) => {
    const v = judgeUpload(declared, seen);
    expect(v.status).toBe(status);
    if (v.status === 'rejected') expect(v.reason).toContain(reason);
  });

  it('HEIC declared may be detected as HEIF (brand mif1)', () => {
    expect(
      judgeUpload({ ...declared, contentType: 'image/heic' }, { size: declared.size, sha256: declared.sha256, detectedType: 'image/heif' })
        .status,
    ).toBe('verified');
  });
});

describe('object keys and downloads', () => {
  it('keys never contain the file name; the evidence id is read back only from kansa keys', () => {
    const key = incomingKey({ evidenceId: '01KANSA0000000000000000001', target: { type: 'finding', id: '01KANSA0000000000000000002' } });
    expect(key).toBe('incoming/finding/01KANSA0000000000000000002/01KANSA0000000000000000001');
    expect(evidenceIdOfKey(key)).toBe('01KANSA0000000000000000001');
    expect(evidenceIdOfKey('evidence/finding/01KANSA0000000000000000002/01KANSA0000000000000000001')).toBeUndefined();
    expect(evidenceIdOfKey('incoming/../x/01KANSA0000000000000000001')).toBeUndefined();
  });

  it('Content-Disposition keeps a Japanese file name (RFC 6266 filename*) with an ASCII fallback', () => {
    const header = contentDisposition('廃棄証明書 (1).jpg');
    expect(header).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(decodeURIComponent(header.split("UTF-8''")[1] as string)).toBe('廃棄証明書 (1).jpg');
  });
});

describe('disposal completeness: 001 witness or photo (第18条第4項), 003 certificate (第35条第2項)', () => {
  const photo = ['01KANSA0000000000000000001'];
  it.each([
    ['001', 'in-house', { witness: null, verifiedPhotoIds: [] }, true],
    ['001', 'outsourced, no witness, no photo', { contractor: '委託先', witness: null, verifiedPhotoIds: [] }, false],
    ['001', 'outsourced with a witness', { contractor: '委託先', witness: 'staff-1', verifiedPhotoIds: [] }, true],
    ['001', 'outsourced with a verified photo', { contractor: '委託先', witness: null, verifiedPhotoIds: photo }, true],
    [
      '001',
      'outsourced with only a certificate number',
      { contractor: '委託先', witness: null, verifiedPhotoIds: [], certificateNumber: 'C-1' },
      false,
    ],
    ['003', 'in-house', { witness: null, verifiedPhotoIds: [] }, true],
    ['003', 'outsourced with only a witness', { contractor: '委託先', witness: 'staff-1', verifiedPhotoIds: [] }, false],
    [
      '003',
      'outsourced with a certificate number',
      { contractor: '委託先', witness: null, verifiedPhotoIds: [], certificateNumber: 'C-1' },
      true,
    ],
    ['003', 'outsourced with a verified photo of the certificate', { contractor: '委託先', witness: null, verifiedPhotoIds: photo }, true],
  ] as const)('%s %s → complete %s', (id, _n, d, complete) => {
    const c = completeness({ ...d, verifiedPhotoIds: [...d.verifiedPhotoIds] }, id === '001' ? koriyama : koka);
    expect(c.complete).toBe(complete);
    expect(c.missing.length === 0).toBe(complete);
  });

  it('says which rule is the regulation’s and which the municipality’s', () => {
    const outsourced = { contractor: '委託先', witness: null, verifiedPhotoIds: [] };
    expect(completeness(outsourced, koriyama).missing).toEqual([
      '委託による消去・廃棄には、職員の立会いの記録か、写真付きの消去・廃棄証明書（検証済みの写真1枚以上）が必要です（運用上のルール。第18条第4項: 必要に応じて立会い又は写真等を付した書類）。',
    ]);
    expect(completeness(outsourced, koka).missing[0]).toMatch(
      /証明書.*（第35条第2項: 委託先が確実に消去・廃棄したことを証明書等により確認する）。$/,
    );
  });
});

describe('verifyUpload with an in-memory bucket', () => {
  const lead = actor('lead-1', ['auditLead']);

  async function registered(bytes: Buffer, declare = { contentType: 'application/pdf', size: pdf.length, sha256: sha256(pdf) }) {
    const deps = fakeDeps();
    const { createPlan } = await import('#lib/app/plans.js');
    const plan = await createPlan(deps, lead, {
      fiscalYear: 2026,
      purpose: '目的',
      scope: '範囲',
      auditedDepartments: ['shimin'],
      methods: ['document'],
      schedule: { from: '2026-10-01', to: '2026-11-30' },
      team: [],
    });
    const { evidence } = await createEvidence(deps, lead, { target: { type: 'plan', id: plan.planId }, fileName: '計画.pdf', ...declare });
    (deps.objects as MemoryObjects).objects.set(evidence.objectKey, bytes);
    return { deps, evidence };
  }

  it('moves a good file to evidence/, records it once, and ignores a second notification', async () => {
    const { deps, evidence } = await registered(pdf);
    await expect(verifyUpload(deps, evidence.objectKey)).resolves.toBe('verified');
    const objects = deps.objects as MemoryObjects;
    expect([...objects.objects.keys()]).toEqual([`evidence/plan/${evidence.target.id}/${evidence.evidenceId}`]);
    const events = deps.store.events.length;
    await expect(verifyUpload(deps, evidence.objectKey)).resolves.toBe('ignored');
    expect(deps.store.events.length).toBe(events);
  });

  it('quarantines a mismatch with its reason', async () => {
    const { deps, evidence } = await registered(png);
    await expect(verifyUpload(deps, evidence.objectKey)).resolves.toBe('rejected');
    expect(deps.store.evidenceById.get(evidence.evidenceId)).toMatchObject({
      status: 'rejected',
      objectKey: expect.stringMatching(/^quarantine\//),
    });
  });
});
