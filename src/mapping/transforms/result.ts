/**
 * What every transform returns: a value, or an issue saying why the cell cannot be used. Transforms are
 * pure and total: they never throw, whatever the input.
 */

/** A problem with one cell; the caller adds file, line and field when it turns it into an `Issue`. */
export interface TransformIssue {
  readonly code: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
}

/**
 * @example { ok: true, value: '2021-04-12' } · { ok: true, value: null, issue: { code: 'placeholder_date', … } }
 *          · { ok: false, issue: { code: 'ambiguous_date', severity: 'error', message: '…' } }
 */
export type TransformResult<T> =
  | { readonly ok: true; readonly value: T; readonly issue?: TransformIssue | undefined }
  | { readonly ok: false; readonly issue: TransformIssue };

export function ok<T>(value: T, issue?: TransformIssue): TransformResult<T> {
  return issue ? { ok: true, value, issue } : { ok: true, value };
}

export function fail<T = never>(
  code: string,
  message: string,
  severity: 'error' | 'warning' = 'error',
): TransformResult<T> {
  return { ok: false, issue: { code, severity, message } };
}

/** Shows a cell in a message without flooding it. */
export function quote(value: string): string {
  const flat = value.replace(/\s+/g, ' ').trim();
  return `'${flat.length > 40 ? `${flat.slice(0, 37)}…` : flat}'`;
}

/** Blank cells (and whitespace) are "no value", never zero or false. */
export function isBlank(value: string | null | undefined): boolean {
  return value === null || value === undefined || value.trim() === '';
}
