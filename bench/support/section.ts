/**
 * One part of the `npm run bench` report: rows of a measurement against its baseline
 * measured in the same run, with the goal it is held to.
 */
export interface BenchRow {
  /** What is measured, e.g. "cold init: plans". */
  name: string;
  /** What it is compared with, e.g. "floor bundle (SDK clients only)". */
  baseline: string;
  /** Median of measured / median of baseline. */
  ratio: number;
  /** p95 of measured / p95 of baseline, where it applies. */
  ratioP95?: number;
  /** Human-readable figures behind the ratio, e.g. "41.2 ms vs 38.0 ms (p95 52.1 vs 47.9)". */
  detail: string;
  /** The goal, e.g. "≤ 1.15"; absent for reported-only rows. */
  goal?: string;
  /** Whether the goal holds (absent when there is no goal). */
  met?: boolean;
}

export interface BenchSection {
  title: string;
  rows: BenchRow[];
  /** Method and caveats, one line each. */
  notes: string[];
}

/** Markdown for one section. */
export function renderSection(s: BenchSection): string {
  const lines = [
    `## ${s.title}`,
    '',
    '| measured | baseline | ratio (median) | ratio (p95) | figures | goal | met |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of s.rows) {
    lines.push(
      `| ${r.name} | ${r.baseline} | ${r.ratio.toFixed(2)} | ${r.ratioP95 === undefined ? '—' : r.ratioP95.toFixed(2)} | ${r.detail} | ${r.goal ?? 'reported'} | ${r.met === undefined ? '—' : r.met ? 'yes' : '**no**'} |`,
    );
  }
  if (s.notes.length > 0) lines.push('', ...s.notes.map((n) => `- ${n}`));
  return lines.join('\n');
}
