import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';
import { ApiError } from '../api.js';
import type { Runner } from '../hooks.js';

/** Shared building blocks: headings that take focus, states, problem alerts, labelled fields, forms, paged lists. */

/** The page's h1: takes focus on navigation so screen readers announce the new page. */
export function PageTitle({ children, title }: { children: ComponentChildren; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} | kansa`;
    ref.current?.focus();
  }, [title]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

export function Loading() {
  return (
    <p class="state" role="status">
      読み込み中…
    </p>
  );
}

export function Empty({ children }: { children?: ComponentChildren }) {
  return <p class="state">{children ?? 'まだありません'}</p>;
}

/** The problem the server sent, its Japanese `detail` as written; a 412 offers a reload. */
export function ProblemAlert({ error, onReload, onRetry }: { error: unknown; onReload?: () => void; onRetry?: () => void }) {
  if (!error) return null;
  const p =
    error instanceof ApiError
      ? error.problem
      : { status: -1, title: 'エラーが発生しました', detail: error instanceof Error ? error.message : String(error), errors: undefined };
  return (
    <div class={`alert${p.status === 403 ? ' alert-forbidden' : ''}`} role="alert">
      <p class="alert-title">{p.status === 403 ? `権限がありません: ${p.title}` : p.title}</p>
      <p class="alert-detail">{p.detail}</p>
      {p.errors && p.errors.length > 0 && (
        <ul>
          {p.errors.map((e) => (
            <li key={`${e.path}:${e.message}`}>
              {e.path ? `${e.path}: ` : ''}
              {e.message}
            </li>
          ))}
        </ul>
      )}
      {p.status === 412 && onReload && (
        <button type="button" onClick={onReload}>
          最新の内容を読み込む
        </button>
      )}
      {p.status === 0 && onRetry && (
        <button type="button" onClick={onRetry}>
          再試行
        </button>
      )}
    </div>
  );
}

/** The field error the server reported for `path` (400 `errors`). */
export function fieldError(error: unknown, path: string): string | undefined {
  if (!(error instanceof ApiError) || error.status !== 400) return undefined;
  return error.problem.errors?.find((e) => e.path === path || e.path.startsWith(`${path}.`))?.message;
}

interface FieldProps {
  label: string;
  error?: string | undefined;
  hint?: string;
  required?: boolean;
}

/** The ids that tie a control to its hint and error (aria-describedby). */
function useFieldIds(error: string | undefined, hint: string | undefined) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return { id, describedBy };
}

/** What a control of a Field carries: its id, and what ties it to the label, hint and error. */
interface ControlAttrs {
  id: string;
  required: boolean | undefined;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/** Label, control and its error (tied with aria-describedby): `children` draws the control with the attributes it is given. */
function Field({ label, error, hint, required, children }: FieldProps & { children: (control: ControlAttrs) => ComponentChildren }) {
  const { id, describedBy } = useFieldIds(error, hint);
  return (
    <div class="field">
      <label for={id}>
        {label}
        {required && <span class="required">（必須）</span>}
      </label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {children({ id, required, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** Input attributes TextField passes through. */
interface InputExtras {
  type?: string;
  min?: number | string;
  max?: number | string;
  list?: string;
  inputMode?: 'numeric' | 'text' | 'email' | 'tel';
  autoComplete?: string;
}

export function TextField(props: FieldProps & InputExtras & { value: string; onValue: (v: string) => void }) {
  const { label, error, hint, required, value, onValue, type, ...extras } = props;
  const attrs = { ...extras, type: type ?? 'text' } as Record<string, unknown>;
  return (
    <Field label={label} error={error} hint={hint} required={required}>
      {(control) => <input {...attrs} {...control} value={value} onInput={(e) => onValue(e.currentTarget.value)} />}
    </Field>
  );
}

export function TextArea(props: FieldProps & { value: string; onValue: (v: string) => void; rows?: number }) {
  const { label, error, hint, required, value, onValue, rows } = props;
  return (
    <Field label={label} error={error} hint={hint} required={required}>
      {(control) => <textarea {...control} rows={rows ?? 3} value={value} onInput={(e) => onValue(e.currentTarget.value)} />}
    </Field>
  );
}

/** A select of `options` (value and text), after an empty `placeholder` choice; `children` adds choices of its own (e.g. optgroups). */
export function SelectField<V extends string>(
  props: FieldProps & {
    value: V | '';
    onValue: (v: V) => void;
    options?: readonly (readonly [V, string])[];
    placeholder?: string | undefined;
    children?: ComponentChildren;
  },
) {
  const { label, error, hint, required, value, onValue, options = [], placeholder, children } = props;
  return (
    <Field label={label} error={error} hint={hint} required={required}>
      {(control) => (
        <select {...control} value={value} onChange={(e) => onValue(e.currentTarget.value as V)}>
          {placeholder !== undefined && <option value="">{placeholder}</option>}
          {options.map(([v, text]) => (
            <option key={v} value={v}>
              {text}
            </option>
          ))}
          {children}
        </select>
      )}
    </Field>
  );
}

/**
 * A form that saves through `useRunner`: the browser's own validation off (the server's
 * field errors show at the fields), one save at a time, the save's problem above the submit
 * button and, with `onCancel`, キャンセル beside it.
 */
export function SaveForm({
  runner,
  onSave,
  submit,
  onCancel,
  onReload,
  class: formClass = 'panel form',
  label,
  children,
}: {
  runner: Runner;
  onSave: () => Promise<unknown>;
  /** The submit button's text. */
  submit: string;
  onCancel?: () => void;
  /** Offered on a 412 (the resource changed since it was read). */
  onReload?: () => void;
  class?: string;
  /** The form's accessible name. */
  label?: string;
  children: ComponentChildren;
}) {
  const button = (
    <button type="submit" disabled={runner.busy}>
      {submit}
    </button>
  );
  return (
    <form
      class={formClass}
      noValidate
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        void runner.run(onSave);
      }}
    >
      {children}
      <ProblemAlert error={runner.error} onReload={onReload} />
      {onCancel ? (
        <div class="buttons">
          {button}
          <button type="button" class="secondary" onClick={onCancel}>
            キャンセル
          </button>
        </div>
      ) : (
        button
      )}
    </form>
  );
}

/** A modal dialog (native `<dialog>`: Esc closes, focus stays inside). */
export function Dialog({
  open,
  title,
  onClose,
  children,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ComponentChildren;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      if (typeof d.showModal === 'function') d.showModal();
      else d.setAttribute('open', '');
    } else if (!open && d.open) {
      if (typeof d.close === 'function') d.close();
      else d.removeAttribute('open');
    }
  }, [open]);
  return (
    <dialog ref={ref} aria-labelledby={titleId} onClose={onClose} onCancel={onClose}>
      {open && (
        <>
          <h2 id={titleId}>{title}</h2>
          {children}
        </>
      )}
    </dialog>
  );
}

/** 「さらに読み込む」 for cursor-paged lists. */
export function MoreButton({ hasMore, loading, onMore }: { hasMore: boolean; loading: boolean; onMore: () => void }) {
  if (!hasMore) return null;
  return (
    <button type="button" class="secondary" disabled={loading} onClick={onMore}>
      さらに読み込む
    </button>
  );
}

/** What a list needs of `usePaged`: the pages loaded so far and how to load more or again. */
export interface PagedState<T> {
  items: T[];
  loading: boolean;
  error: unknown;
  hasMore: boolean;
  more: () => void;
  reload: () => void;
}

/**
 * A cursor-paged list: its problem (with 再試行), 読み込み中 until the first page arrives, the
 * empty text, one `<li>` an item and 「さらに読み込む」. `items` shows a part of what is loaded
 * (e.g. only the open ones); the loaded pages still decide 読み込み中 and さらに読み込む.
 */
export function PagedList<T>({
  list,
  items = list.items,
  keyOf,
  empty,
  as: Tag = 'ul',
  class: listClass = 'cards',
  children,
}: {
  list: PagedState<T>;
  items?: T[];
  keyOf: (item: T) => string;
  empty?: ComponentChildren;
  as?: 'ul' | 'ol';
  class?: string;
  children: (item: T) => ComponentChildren;
}) {
  return (
    <>
      <ProblemAlert error={list.error} onRetry={list.reload} />
      {list.loading && list.items.length === 0 ? (
        <Loading />
      ) : items.length === 0 ? (
        !list.error && <Empty>{empty}</Empty>
      ) : (
        <Tag class={listClass}>
          {items.map((item) => (
            <li key={keyOf(item)}>{children(item)}</li>
          ))}
        </Tag>
      )}
      <MoreButton hasMore={list.hasMore} loading={list.loading} onMore={list.more} />
    </>
  );
}

export function StatusBadge({ status, label }: { status: string; label: string }) {
  return <span class={`badge badge-${status}`}>{label}</span>;
}

/** Opens a document route's answer (様式第4号, 監査結果報告書, 事案報告…): HTML in a new tab, XLSX as a download. */
export function openBlob(blob: Blob, fileName: string, download: boolean) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  if (download) a.download = fileName;
  else a.target = '_blank';
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
