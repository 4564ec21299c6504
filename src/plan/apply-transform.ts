import type { MappingSettings, ValueMaps } from '../mapping/mapping-schema.ts';
import type { TransformSpec } from '../mapping/model.ts';
import {
  htmlToText,
  isBlank,
  lookupValue,
  noteHtml,
  ok,
  splitValues,
  type TransformResult,
  transformBoolean,
  transformDate,
  transformDateTime,
  transformEmail,
  transformHours,
  transformMoney,
  transformNumber,
  transformPercent,
  transformPhone,
  transformTime,
} from '../mapping/transforms/index.ts';

/** What a transform needs besides the cell: the mapping's reading settings and value maps. */
export interface TransformContext {
  readonly settings: MappingSettings;
  readonly valueMaps: ValueMaps;
}

/**
 * Applies one field's transform to one raw cell. Pure and total: any input gives a result, never a throw.
 * Kinds that need the whole row (owner, reference, address parts, names) come back as trimmed text for the
 * record builder to resolve.
 * @example applyTransform({ kind: 'money' }, '$1,250.00', context) // { ok: true, value: { amount: 1250, currency: 'USD' } }
 */
export function applyTransform(
  spec: TransformSpec | undefined,
  raw: string,
  context: TransformContext,
): TransformResult<unknown> {
  const { settings } = context;
  const dateOptions = {
    formats: spec?.formats,
    order: settings.dateOrder,
    timeZone: settings.sourceTimeZone,
  };
  switch (spec?.kind ?? 'text') {
    case 'email':
      return transformEmail(raw);
    case 'phone':
      return transformPhone(raw, { region: spec?.region ?? settings.defaultPhoneRegion });
    case 'date':
      return transformDate(raw, dateOptions);
    case 'datetime':
      return transformDateTime(raw, dateOptions);
    case 'time':
      return transformTime(raw);
    case 'money':
      return transformMoney(raw, { currency: spec?.currency ?? settings.defaultCurrency });
    case 'number':
      return transformNumber(raw);
    case 'percent':
      return transformPercent(raw);
    case 'boolean':
      return transformBoolean(raw);
    case 'hours':
      return transformHours(raw);
    case 'split':
      return isBlank(raw) ? ok(null) : splitValues(raw, spec?.delimiter ?? ';');
    case 'html':
      return ok(isBlank(raw) ? null : noteHtml(raw));
    case 'html_text':
      return ok(isBlank(raw) ? null : htmlToText(raw));
    case 'value_map': {
      const map = spec?.map
        ? (context.valueMaps as Record<string, Record<string, unknown>>)[spec.map]
        : undefined;
      if (!map) return ok(isBlank(raw) ? null : raw.trim());
      return lookupValue(raw, map, { mapName: spec?.map ?? 'valueMaps' });
    }
    default:
      return ok(isBlank(raw) ? null : raw.trim().replace(/\u0000/g, ''));
  }
}
