/**
 * Database designers in Access and Visual Basic prefix a column's name with a tag of its type
 * (`strLastName`, `dtmEntered`, `ysnActive`, `lngClientID`, `memNotes`, `curFee`): the tag says how the value
 * is stored, not what it is, and the values show that anyway. Both header normalisers drop it. Pure.
 */

/** Type tags of the Leszynski and Reddick conventions, lower case, before the capitalised name. */
const TYPE_TAG =
  /^(str|txt|mem|dtm|dte|dt|ysn|bln|bool|bit|chk|lng|int|dbl|sng|dec|cur|byt|num|guid|ole|hyp)(?=[A-Z][a-z]|[A-Z]{2,}\b|[A-Z]$)/;

const DATE_TAGS: ReadonlySet<string> = new Set(['dtm', 'dte', 'dt']);

/**
 * The header without its type tag, when it is one word in camel case; otherwise as it is.
 * @example withoutTypeTag('ysnActive') // 'Active'
 * @example withoutTypeTag('dtmNote') // 'Date Note'
 * @example withoutTypeTag('Intake Date') // 'Intake Date'
 */
export function withoutTypeTag(header: string): string {
  const trimmed = header.trim();
  if (/[\s_\-.]/.test(trimmed)) return header;
  const tag = TYPE_TAG.exec(trimmed);
  if (!tag) return header;
  const rest = trimmed.slice(tag[0].length);
  if (rest.length < 2) return header;
  // A date tag is a word of the name: 'dtmNote' is the note's date, not the note.
  return DATE_TAGS.has(tag[0]) && !/date/i.test(rest) ? `Date ${rest}` : rest;
}
