import type { SimContext } from '../../context.ts';
import { badRequest, SimHttpError, schemaError } from '../../http.ts';
import type { FieldEntity, IntCollection, Rec } from '../../state.ts';
import { parseRfc3339, rfc3339 } from '../../time.ts';
import { arr, bool, int, type ObjectShape, obj, type Shape, str } from '../../validation.ts';
import { requireActiveUser, visibleToValues } from '../common.ts';

export type Mode = 'create' | 'update';

/** A list filter of a v2 collection, declared as data. */
export interface ListFilter {
  readonly param: string;
  readonly kind: 'int' | 'bool' | 'string';
  readonly test: (rec: Rec, value: number | boolean | string, ctx: SimContext) => boolean;
}

/**
 * What distinguishes one v2 entity from another; the CRUD/list loop below is shared.
 * `apply` merges a validated body into the record and enforces the entity's own rules.
 */
export interface V2Entity {
  readonly path: string;
  readonly collection: IntCollection;
  readonly label: string;
  readonly fieldEntity: FieldEntity | null;
  readonly shape: (ctx: SimContext, mode: Mode) => ObjectShape;
  readonly defaults: (ctx: SimContext, id: number) => Rec;
  readonly apply: (ctx: SimContext, rec: Rec, body: Rec, mode: Mode) => void;
  readonly filters: readonly ListFilter[];
  readonly sortBy: readonly string[];
  /** Whether a record shows in the plain list (besides not being deleted). */
  readonly listed?: (rec: Rec, ctx: SimContext) => boolean;
  readonly render?: (ctx: SimContext, rec: Rec, out: Rec) => void;
  /** Entity-specific refusals before the shape check (e.g. `person_id` on activities). */
  readonly precheck?: (body: Rec) => void;
}

export const labelledItems = arr(
  obj({ value: str(), primary: bool(), label: str() }, { required: ['value'] }),
);
export const addressShape = (nullable: boolean): Shape =>
  obj(
    {
      value: str(),
      country: str({ nullable: true }),
      admin_area_level_1: str({ nullable: true }),
      admin_area_level_2: str({ nullable: true }),
      locality: str({ nullable: true }),
      sublocality: str({ nullable: true }),
      route: str({ nullable: true }),
      street_number: str({ nullable: true }),
      subpremise: str({ nullable: true }),
      postal_code: str({ nullable: true }),
      formatted_address: str({ nullable: true }),
    },
    { nullable },
  );
export const customFieldsShape = obj({}, { open: true });

export function commonProps(ctx: SimContext): Record<string, Shape> {
  return {
    owner_id: int(),
    visible_to: int({ values: visibleToValues(ctx) }),
    label_ids: arr(int()),
  };
}

/** Times the caller may set on persons/organizations, per `addTimePolicy`. */
export function timeProps(ctx: SimContext): Record<string, Shape> {
  if (ctx.options.addTimePolicy === 'reject') return {};
  return { add_time: str({ format: 'datetime' }), update_time: str({ format: 'datetime' }) };
}

export function applyAddTime(ctx: SimContext, rec: Rec, body: Rec): void {
  if (ctx.options.addTimePolicy !== 'honour' || body.add_time === undefined) return;
  const ms = parseRfc3339(body.add_time as string);
  if (ms === undefined) throw schemaError([`add_time: Parameter 'add_time' is not a valid datetime`]);
  rec.add_time = rfc3339(ms);
}

export function applyCommon(ctx: SimContext, rec: Rec, body: Rec): void {
  if (body.owner_id !== undefined) {
    requireActiveUser(ctx, body.owner_id);
    rec.owner_id = body.owner_id;
  }
  if (body.visible_to !== undefined) rec.visible_to = body.visible_to;
  if (body.label_ids !== undefined) rec.label_ids = [...new Set(body.label_ids as number[])];
}

/** Emails/phones: label defaults to work; at most one primary; the first becomes primary when none is. */
export function normalizeLabelled(items: unknown, field: string): Rec[] {
  const list = (items as Rec[]).map((item) => ({
    value: item.value,
    primary: item.primary === true,
    label: (item.label as string | undefined) ?? 'work',
  }));
  const primaries = list.filter((i) => i.primary).length;
  if (primaries > 1) throw badRequest(`${field}: only one item can be primary`);
  const first = list[0];
  if (primaries === 0 && first) first.primary = true;
  return list;
}

export function splitName(name: string): { first: string; last: string } {
  const trimmed = name.trim();
  const space = trimmed.indexOf(' ');
  return space < 0
    ? { first: trimmed, last: '' }
    : { first: trimmed.slice(0, space), last: trimmed.slice(space + 1).trim() };
}

export function nameMissing(): SimHttpError {
  return new SimHttpError(400, {
    success: false,
    error: 'Name must be given.',
    error_info: 'Please check developers.pipedrive.com for more information about Pipedrive API.',
    data: null,
    additional_data: null,
    code: 'ERR_BAD_REQUEST',
  });
}
