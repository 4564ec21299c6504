// The pure transforms: raw export cells → Pipedrive values, `{ok, value} | {ok: false, issue}`, never throwing.
export { applyTransform } from './apply-transform.ts';
export {
  type DateOptions,
  type DateOrder,
  localToUtc,
  transformDate,
  transformDateTime,
  transformTime,
  zoneOffsetMs,
} from './dates.ts';
export { decodeEntities, escapeHtml, htmlToText, noteHtml, sanitizeHtml } from './html.ts';
export { type Money, transformHours, transformMoney, transformNumber, transformPercent } from './numbers.ts';
export { PHONE_REGIONS, transformPhone } from './phone.ts';
export { fail, isBlank, ok, type TransformIssue, type TransformResult } from './result.ts';
export {
  canonicalValue,
  isBooleanWord,
  joinName,
  lookupValue,
  normaliseValueKey,
  type PersonName,
  splitName,
  splitValues,
  transformBoolean,
  transformEmail,
} from './text.ts';
