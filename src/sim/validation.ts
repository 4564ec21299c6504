/**
 * A tiny declarative schema for request bodies, enough to reproduce v2's strict checks: unknown keys,
 * wrong JSON types (no string→number or "true"→true coercion), enums, date formats.
 * @example validateShape(obj({ name: str(), owner_id: int() }), body) // → ["Parameter 'x' is not allowed …"]
 */
export type Shape =
  | {
      readonly t: 'string';
      readonly nullable?: boolean;
      readonly max?: number;
      readonly min?: number;
      readonly values?: readonly string[];
      readonly format?: 'date' | 'datetime' | 'time';
    }
  | {
      readonly t: 'integer' | 'number' | 'boolean' | 'any';
      readonly nullable?: boolean;
      readonly values?: readonly number[];
    }
  | { readonly t: 'array'; readonly items: Shape; readonly nullable?: boolean; readonly maxItems?: number }
  | {
      readonly t: 'object';
      readonly props?: Readonly<Record<string, Shape>>;
      readonly open?: boolean;
      readonly nullable?: boolean;
      readonly required?: readonly string[];
    };

export type ObjectShape = Extract<Shape, { t: 'object' }>;

export const str = (extra: Partial<Extract<Shape, { t: 'string' }>> = {}): Shape => ({
  t: 'string',
  ...extra,
});
export const int = (extra: { nullable?: boolean; values?: readonly number[] } = {}): Shape => ({
  t: 'integer',
  ...extra,
});
export const num = (extra: { nullable?: boolean } = {}): Shape => ({ t: 'number', ...extra });
export const bool = (extra: { nullable?: boolean } = {}): Shape => ({ t: 'boolean', ...extra });
export const any = (): Shape => ({ t: 'any' });
export const arr = (items: Shape, extra: { nullable?: boolean; maxItems?: number } = {}): Shape => ({
  t: 'array',
  items,
  ...extra,
});
export const obj = (
  props: Readonly<Record<string, Shape>>,
  extra: { open?: boolean; nullable?: boolean; required?: readonly string[] } = {},
): ObjectShape => ({ t: 'object', props, ...extra });

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;
const TIME_RE = /^\d{2}:\d{2}(:\d{2})?$/;

/** Returns one message per problem; empty when the value fits. Top-level keys are reported by name. */
export function validateShape(shape: Shape, value: unknown, path = ''): string[] {
  const errors: string[] = [];
  check(shape, value, path, errors);
  return errors;
}

function label(path: string): string {
  return path === '' ? 'body' : path;
}

function check(shape: Shape, value: unknown, path: string, errors: string[]): void {
  if (value === null) {
    if (!shape.nullable && shape.t !== 'any')
      errors.push(`${label(path)}: Parameter '${label(path)}' must not be null`);
    return;
  }
  switch (shape.t) {
    case 'any':
      return;
    case 'string': {
      if (typeof value !== 'string') {
        errors.push(`${label(path)}: Parameter '${label(path)}' must be a string`);
        return;
      }
      if (shape.max !== undefined && value.length > shape.max)
        errors.push(`${label(path)}: Parameter '${label(path)}' must be at most ${shape.max} characters`);
      if (shape.min !== undefined && value.length < shape.min)
        errors.push(`${label(path)}: Parameter '${label(path)}' must be at least ${shape.min} characters`);
      if (shape.values && !shape.values.includes(value))
        errors.push(`${label(path)}: Parameter '${label(path)}' must be one of ${shape.values.join(', ')}`);
      if (shape.format === 'date' && !DATE_RE.test(value))
        errors.push(`${label(path)}: Parameter '${label(path)}' is not a valid date (YYYY-MM-DD)`);
      if (shape.format === 'datetime' && !DATETIME_RE.test(value))
        errors.push(`${label(path)}: Parameter '${label(path)}' is not a valid datetime (RFC 3339)`);
      if (shape.format === 'time' && !TIME_RE.test(value))
        errors.push(`${label(path)}: Parameter '${label(path)}' is not a valid time (HH:MM or HH:MM:SS)`);
      return;
    }
    case 'integer':
    case 'number': {
      if (
        typeof value !== 'number' ||
        !Number.isFinite(value) ||
        (shape.t === 'integer' && !Number.isInteger(value))
      ) {
        errors.push(
          `${label(path)}: Parameter '${label(path)}' must be a ${shape.t === 'integer' ? 'integer' : 'number'}`,
        );
        return;
      }
      if (shape.values && !shape.values.includes(value))
        errors.push(`${label(path)}: Parameter '${label(path)}' must be one of ${shape.values.join(', ')}`);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean')
        errors.push(`${label(path)}: Parameter '${label(path)}' must be a boolean`);
      return;
    case 'array': {
      if (!Array.isArray(value)) {
        errors.push(`${label(path)}: Parameter '${label(path)}' must be an array`);
        return;
      }
      if (shape.maxItems !== undefined && value.length > shape.maxItems)
        errors.push(`${label(path)}: Parameter '${label(path)}' must have at most ${shape.maxItems} items`);
      value.forEach((item, i) => {
        check(shape.items, item, `${path}[${i}]`, errors);
      });
      return;
    }
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) {
        errors.push(`${label(path)}: Parameter '${label(path)}' must be an object`);
        return;
      }
      const record = value as Record<string, unknown>;
      for (const key of shape.required ?? []) {
        if (record[key] === undefined) {
          const p = path ? `${path}.${key}` : key;
          errors.push(`${p}: Parameter '${p}' is required`);
        }
      }
      for (const [key, item] of Object.entries(record)) {
        const p = path ? `${path}.${key}` : key;
        const inner = shape.props?.[key];
        if (inner) check(inner, item, p, errors);
        else if (!shape.open) errors.push(`${p}: Parameter '${p}' is not allowed for this request`);
      }
      return;
    }
  }
}
