import type { RowError } from '#lib/domain/csv.js';

/**
 * The rows a CSV import refuses (the staff register's, an e-learning system's attendance): each
 * with its line in the file and column, above the preview; while any is listed nothing is applied.
 */
export function ImportRowErrors({ errors, nothing }: { errors: readonly RowError[]; nothing: string }) {
  if (errors.length === 0) return null;
  return (
    <div class="alert" role="alert">
      <p class="alert-title">取り込めない行があります。CSVを直してから選び直してください（誤りのある行があるときは何も{nothing}）。</p>
      <ul>
        {errors.map((e) => (
          <li key={`${e.row}:${e.path}:${e.message}`}>
            {e.row}行目{e.path ? `（${e.path}）` : ''}: {e.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
