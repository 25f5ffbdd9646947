import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '#lib/domain/audit.js';
import { renderTrailCsv } from '#lib/reports/csv.js';

const event = (over: Partial<AuditEvent>): AuditEvent => ({
  eventId: '01KANSA0000000000000000001', entityType: 'plan', entityId: 'p', action: 'plan.returned',
  actor: { sub: 'vice-mayor', name: '郡山 一郎', roles: ['chiefManager'], department: 'vice-mayor-office' },
  at: '2026-11-20T01:00:00.000Z', version: 3, before: { status: 'submitted' }, after: { status: 'returned' },
  prevHash: 'a'.repeat(64), hash: 'b'.repeat(64), ...over,
});

describe('audit trail CSV (RFC 4180, UTF-8 with BOM)', () => {
  it('quotes fields with commas, quotes and line breaks, and writes JSON for before/after', () => {
    const csv = renderTrailCsv([event({ reason: '範囲を見直し、"委託先"を含めること\n次回まで' })]);
    expect(csv.startsWith('\uFEFF日時,操作,利用者ID,氏名,役割,所属,版,理由,変更前,変更後,ハッシュ,直前のハッシュ\r\n')).toBe(true);
    expect(csv).toContain('"範囲を見直し、""委託先""を含めること\n次回まで"');
    expect(csv).toContain('"{""status"":""submitted""}"');
    expect(csv.endsWith('\r\n')).toBe(true);
  });
});
