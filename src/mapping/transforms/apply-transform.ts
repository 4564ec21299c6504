import type { MappingSettings, ValueMaps } from '../mapping-schema.ts';
import type { TransformSpec } from '../model.ts';
import { transformDate, transformDateTime, transformTime } from './dates.ts';
import { htmlToText, noteHtml } from './html.ts';
import { transformHours, transformMoney, transformNumber, transformPercent } from './numbers.ts';
import { transformPhone } from './phone.ts';
import { isBlank, ok, type TransformResult } from './result.ts';
import { joinName, lookupValue, splitName, splitValues, transformBoolean, transformEmail } from './text.ts';

/**
 * Interprets a field's `transform` from mapping.yaml on one raw cell, with the mapping's settings and value
 * maps. Pure and total. Kinds that only make sense across columns or records (`address` parts, `owner`,
 * `reference`, roll-ups) return the trimmed text for the caller to combine or resolve.
 * @example applyTransform('$1,250.00', { kind: 'money' }, { settings }) // { ok: true, value: { amount: 1250, currency: 'USD' } }
 */
export function applyTransform(
  raw: string,
  spec: TransformSpec | undefined,
  context: { readonly settings: MappingSettings; readonly valueMaps?: ValueMaps | undefined },
): TransformResult<unknown> {
  const { settings } = context;
  const text = raw ?? '';
  switch (spec?.kind ?? 'text') {
    case 'email':
      return transformEmail(text);
    case 'phone':
      return transformPhone(text, { region: spec?.region ?? settings.defaultPhoneRegion });
    case 'date':
      return transformDate(text, {
        formats: spec?.formats,
        order: settings.dateOrder,
        timeZone: settings.sourceTimeZone,
      });
    case 'datetime':
      return transformDateTime(text, {
        formats: spec?.formats,
        order: settings.dateOrder,
        timeZone: settings.sourceTimeZone,
      });
    case 'time':
      return transformTime(text);
    case 'money':
      return transformMoney(text, { currency: spec?.currency ?? settings.defaultCurrency });
    case 'number':
      return transformNumber(text);
    case 'percent':
      return transformPercent(text);
    case 'boolean':
      return transformBoolean(text);
    case 'hours':
      return transformHours(text);
    case 'split':
      return splitValues(text, spec?.delimiter ?? ';');
    case 'name': {
      const name = splitName(text);
      if (!name.ok || name.value === null) return name;
      const part = spec?.part ?? 'full';
      const parts = name.value as unknown as Record<string, string | undefined>;
      // 'full' is the display name in reading order: `Gonzalez, Maria E.` → `Maria E. Gonzalez`.
      return ok(part === 'full' ? joinName(name.value) : (parts[part] ?? null));
    }
    case 'html':
      return ok(isBlank(text) ? null : noteHtml(text));
    case 'html_text':
      return ok(isBlank(text) ? null : htmlToText(text));
    case 'value_map': {
      const mapName = spec?.map ?? '';
      const map = (context.valueMaps as Record<string, Record<string, unknown>> | undefined)?.[mapName];
      if (!map) return ok(isBlank(text) ? null : text.trim());
      return lookupValue(text, map, { mapName });
    }
    default:
      return ok(isBlank(text) ? null : text.trim().replace(/\s+/g, ' '));
  }
}
