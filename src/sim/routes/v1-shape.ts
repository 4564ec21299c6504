import type { SimContext } from '../context.ts';
import { ADDRESS_PARTS, renderCustomV1Flat } from '../fields.ts';
import type { FieldEntity, Rec } from '../state.ts';
import { parseRfc3339, v1Time } from '../time.ts';

const FIELD_ENTITY: Readonly<Record<string, FieldEntity>> = {
  persons: 'person',
  organizations: 'organization',
  deals: 'deal',
};

/**
 * The v1 shape of a v2-stored record (for /v1/recents): owner as an object, visible_to as a string,
 * addresses and locations as strings plus flat parts, custom fields flat, v1 timestamps.
 */
export function toV1Shape(ctx: SimContext, collection: string, rec: Rec): Rec {
  const out: Rec = {};
  for (const [key, value] of Object.entries(rec)) {
    const ms = typeof value === 'string' ? parseRfc3339(value) : undefined;
    out[key] = ms === undefined ? value : v1Time(ms);
  }
  const owner = ctx.state.int.users.get(rec.owner_id as number);
  out.owner_id = owner
    ? {
        id: owner.id,
        name: owner.name,
        email: owner.email,
        has_pic: 0,
        pic_hash: null,
        active_flag: owner.active_flag,
        value: owner.id,
      }
    : null;
  if (rec.visible_to !== undefined) out.visible_to = String(rec.visible_to);
  out.active_flag = rec.is_deleted !== true;
  const fieldEntity = FIELD_ENTITY[collection];
  if (fieldEntity) {
    delete out.custom_fields;
    renderCustomV1Flat(ctx.state, fieldEntity, (rec.custom_fields ?? {}) as Rec, out);
  }
  for (const key of ['address', 'location'] as const) {
    if (!(key in rec)) continue;
    const a = rec[key] as Rec | null;
    out[key] = a ? a.value : null;
    for (const part of [...ADDRESS_PARTS, 'formatted_address'])
      out[`${key}_${part}`] = a ? (a[part] ?? null) : null;
  }
  if (collection === 'persons') {
    out.owner_id = rec.owner_id;
    out.email = rec.emails;
    out.phone = rec.phones;
  }
  if (collection === 'activities') {
    out.user_id = rec.owner_id;
    out.busy_flag = rec.busy;
    out.participants = ((rec.participants ?? []) as Rec[]).map((p) => ({
      person_id: p.person_id,
      primary_flag: p.primary,
    }));
  }
  if (collection === 'deals') out.user_id = rec.owner_id;
  return out;
}
