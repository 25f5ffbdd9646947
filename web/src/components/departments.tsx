import { useId } from 'preact/hooks';
import { sectionsOf } from '#lib/domain/organisation.js';
import { canSeeDepartment, holdsSectionRole, readsEveryDepartment } from '#lib/domain/permissions.js';
import { type Session, useSession } from '../session.js';
import type { Department } from '../types.js';
import { SelectField, TextField } from './ui.js';

/**
 * 課 chosen by name (the codes stay what the API sends), grouped under their 部, from
 * the organisation GET /profile lists. Without an organisation (an older server), a
 * code field.
 */

/** The 課 (not the 部 themselves) grouped by 部, in the organisation's order. */
export function sectionsByDivision(
  departments: readonly Department[],
  keep: (d: Department) => boolean = () => true,
): { division: string; name: string; sections: Department[] }[] {
  const sections = departments.filter((d) => d.code !== d.division && keep(d));
  const groups = new Map<string, Department[]>();
  for (const d of sections) groups.set(d.division, [...(groups.get(d.division) ?? []), d]);
  return [...groups].map(([division, list]) => ({
    division,
    name: departments.find((d) => d.code === division)?.name ?? division,
    sections: list,
  }));
}

/**
 * The 課 a list asks for by default, and whether it may ask for none: readers of every
 * 課 list them all; section roles their own 課 (the server's choice too); a 保護責任者
 * (部長) must name one of the 部's 課, so the first of them.
 */
export interface ListScope {
  department: string;
  all: boolean;
  sections: string[];
}

export function listScope(session: Pick<Session, 'actor' | 'organisation'>): ListScope {
  const { actor, organisation } = session;
  if (readsEveryDepartment(actor)) return { department: '', all: true, sections: [] };
  if (holdsSectionRole(actor)) return { department: actor.department, all: false, sections: [actor.department] };
  const sections = sectionsOf(organisation, actor.department).map((d) => d.code);
  return { department: sections[0] ?? '', all: false, sections };
}

interface DepartmentSelectProps {
  label: string;
  value: string;
  onValue: (code: string) => void;
  error?: string | undefined;
  hint?: string;
  required?: boolean;
  /** An empty first choice (e.g. すべての課). */
  placeholder?: string;
  /** Only the 課 the user may see (filters). */
  visibleOnly?: boolean;
  /** Only the 課 this keeps (e.g. those the user may register for); otherwise every 課 and the server decides. */
  keep?: (code: string) => boolean;
}

/** One 課: a select grouped by 部. */
export function DepartmentSelect({ label, value, onValue, error, hint, required, placeholder, visibleOnly, keep }: DepartmentSelectProps) {
  const { organisation, actor, departmentLabel } = useSession();
  const groups = sectionsByDivision(
    organisation.departments,
    (d) => (!visibleOnly || canSeeDepartment(actor, d.code, organisation)) && (!keep || keep(d.code)),
  );
  if (groups.length === 0) {
    return (
      <TextField
        label={`${label}（課コード）`}
        value={value}
        onValue={onValue}
        error={error}
        {...(hint ? { hint } : {})}
        {...(required ? { required } : {})}
      />
    );
  }
  const known = groups.some((g) => g.sections.some((d) => d.code === value));
  return (
    <SelectField label={label} error={error} hint={hint} required={required} value={value} onValue={onValue} placeholder={placeholder}>
      {value !== '' && !known && <option value={value}>{departmentLabel(value)}</option>}
      {groups.map((g) => (
        <optgroup key={g.division} label={g.name}>
          {g.sections.map((d) => (
            <option key={d.code} value={d.code}>
              {d.name}
            </option>
          ))}
        </optgroup>
      ))}
    </SelectField>
  );
}

/** The 課 filter of a list: the 課 the user may see, and すべての課 for readers of every 課 (see {@link listScope}). */
export function DepartmentFilter({
  scope,
  label = '課',
  value,
  onValue,
}: {
  scope: ListScope;
  label?: string;
  value: string;
  onValue: (code: string) => void;
}) {
  return (
    <DepartmentSelect label={label} value={value} onValue={onValue} {...(scope.all ? { placeholder: 'すべての課' } : {})} visibleOnly />
  );
}

/** Several 課 (e.g. a plan's 被監査部門): checkboxes grouped by 部. */
export function DepartmentChecks({
  legend,
  value,
  onValue,
  error,
  required,
}: {
  legend: string;
  value: readonly string[];
  onValue: (codes: string[]) => void;
  error?: string | undefined;
  required?: boolean;
}) {
  const { organisation, departmentLabel } = useSession();
  const id = useId();
  const groups = sectionsByDivision(organisation.departments);
  // Kept in the organisation's order, whatever the order of the clicks.
  const rank = (c: string) => {
    const i = organisation.departments.findIndex((d) => d.code === c);
    return i < 0 ? organisation.departments.length : i;
  };
  const toggle = (code: string, on: boolean) =>
    onValue((on ? [...value.filter((c) => c !== code), code] : value.filter((c) => c !== code)).sort((a, b) => rank(a) - rank(b)));
  if (groups.length === 0) {
    return (
      <TextField
        label={legend}
        value={value.join(', ')}
        onValue={(s) => onValue(s.split(/[、,，\s]+/).filter(Boolean))}
        hint="課コードをカンマ（、）区切りで入力してください"
        error={error}
        {...(required ? { required } : {})}
      />
    );
  }
  const unknown = value.filter((c) => !groups.some((g) => g.sections.some((d) => d.code === c)));
  return (
    <fieldset class="department-checks" aria-describedby={error ? `${id}-error` : undefined}>
      <legend>
        {legend}
        {required && <span class="required">（必須）</span>}
      </legend>
      {groups.map((g) => (
        <div key={g.division} class="department-group" role="group" aria-label={g.name}>
          <p class="meta">{g.name}</p>
          {g.sections.map((d) => (
            <label key={d.code} class="check">
              <input type="checkbox" checked={value.includes(d.code)} onChange={(e) => toggle(d.code, e.currentTarget.checked)} />
              {d.name}
            </label>
          ))}
        </div>
      ))}
      {unknown.map((c) => (
        <label key={c} class="check">
          <input type="checkbox" checked onChange={(e) => toggle(c, e.currentTarget.checked)} />
          {departmentLabel(c)}
        </label>
      ))}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
