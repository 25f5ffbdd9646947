import type { AuditEvent } from '#lib/domain/audit.js';

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
const field = (v: unknown) => {
  const s = v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** An entity's audit trail as CSV (UTF-8 with BOM, so Excel shows the Japanese). */
export function renderTrailCsv(events: readonly AuditEvent[]): string {
  const header = ['日時', '操作', '利用者ID', '氏名', '役割', '所属', '版', '理由', '変更前', '変更後', 'ハッシュ', '直前のハッシュ'];
  const lines = events.map((e) =>
    [e.at, e.action, e.actor.sub, e.actor.name, e.actor.roles.join(' '), e.actor.department, e.version, e.reason, e.before, e.after, e.hash, e.prevHash]
      .map(field)
      .join(','),
  );
  return `\uFEFF${[header.join(','), ...lines].join('\r\n')}\r\n`;
}
