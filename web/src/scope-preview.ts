import { formatArticleRef } from '#lib/domain/articles.js';
import { DomainError } from '#lib/domain/errors.js';
import { resolveArticle } from '#lib/domain/scopes.js';
import { roleLabel } from './labels.js';
import type { Profile, ScopeId } from './types.js';

/**
 * The scope a finding on an article falls in, computed before saving with the same
 * resolver the server uses (lib/domain/scopes.ts, 第7条の2第3項).
 */
export type ScopePreview =
  { ok: true; label: string; articleTitle: string; scope: ScopeId; owner: string } | { ok: false; message: string };

/** The owner of each scope, by the profile's titles (DX / 広報広聴 / 監査責任者). */
export function scopeTitle(profile: Profile, scope: ScopeId): string {
  if (scope === 'lead') return roleLabel(profile, 'auditLead');
  return profile.auditorScopes.find((s) => s.scope === scope)?.title ?? scope;
}

/** What an article field says, as the server would read it: 「第17条の2（誤送付等の防止）」 → 第17条の2, plus the 項. */
export function articleInput(text: string, paragraph: string): string {
  const article = text.replace(/[（(].*$/, '').trim();
  const p = paragraph.trim();
  return p ? `${article}第${p}項` : article;
}

export function previewScope(profile: Profile, text: string, paragraph: string): ScopePreview | null {
  const input = articleInput(text, paragraph);
  if (!input) return null;
  try {
    const r = resolveArticle(profile, input);
    return { ok: true, label: r.label, articleTitle: r.entry.title, scope: r.scope, owner: scopeTitle(profile, r.scope) };
  } catch (e) {
    return { ok: false, message: e instanceof DomainError ? e.message : String(e) };
  }
}

/** The catalogue as options for a searchable select: 「第17条の2（誤送付等の防止）」. */
export function articleOptions(profile: Profile): string[] {
  return profile.articles.map((a) => `${formatArticleRef(a, profile.referenceStyle)}（${a.title}）`);
}
