import type { AuditEvent } from '#lib/domain/audit.js';

/**
 * A cell a spreadsheet would read as a formula (or, after a tab or carriage return, as
 * the start of one) is made plain text with a leading `'` (OWASP CSV injection; ASVS 5.0
 * V1.2.10). Users write notes and reasons, so `=HYPERLINK(...)` must not become a link.
 */
const neutraliseCell = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

/** RFC 4180 field, neutralised first, then quoted when it holds a comma, quote or line break. */
const field = (v: unknown) => {
  const s = neutraliseCell(v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** An entity's audit trail as CSV (UTF-8 with BOM, so Excel shows the Japanese). */
export function renderTrailCsv(events: readonly AuditEvent[]): string {
  const header = ['日時', '操作', '利用者ID', '氏名', '役割', '所属', '版', '理由', '変更前', '変更後', 'ハッシュ', '直前のハッシュ'];
  const lines = events.map((e) =>
    [
      e.at,
      e.action,
      e.actor.sub,
      e.actor.name,
      e.actor.roles.join(' '),
      e.actor.department,
      e.version,
      e.reason,
      e.before,
      e.after,
      e.hash,
      e.prevHash,
    ]
      .map(field)
      .join(','),
  );
  return `\uFEFF${[header.join(','), ...lines].join('\r\n')}\r\n`;
}
