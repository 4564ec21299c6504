import type { Issue } from '../../../core/issues.ts';
import type { ColumnStats } from '../column-stats.ts';
import { type Concept, conceptsOf, headerPrefix } from '../headers.ts';
import { booleanFamily } from '../value-kinds.ts';
import { type QualityFile, ROWS_PER_CHECK } from './quality-input.ts';

const NOTE_LIKE = new Set<Concept>(['note_body', 'subject']);
const SENSITIVE = new Set<Concept>(['ssn', 'date_of_birth', 'diagnosis']);
const SAME_CONCEPT = new Set<Concept>([
  'date_of_incident',
  'statute_of_limitations',
  'settlement',
  'lead_attorney',
  'date_of_birth',
  'diagnosis',
  'claim_number',
]);

/**
 * Checks that need only one column's statistics: date formats, money/percent/hours spellings, booleans,
 * multi-value cells, HTML, embedded newlines, Excel damage, zone-less timestamps, sensitive columns, and
 * one concept under several labels. Pure.
 */
export function checkColumns(files: readonly QualityFile[]): Issue[] {
  const issues: Issue[] = [];
  for (const qf of files) {
    const file = qf.extracted.file;
    for (const stats of qf.stats) {
      if (stats.nonEmpty === 0) continue;
      const ctx = { file, stats, issues };
      checkDates(ctx);
      checkMoney(ctx);
      checkPercent(ctx);
      checkHours(ctx);
      checkBoolean(ctx);
      checkMarks(ctx);
      checkSensitive(ctx);
    }
    checkSameConcept(qf, issues);
  }
  return issues;
}

interface Ctx {
  readonly file: string;
  readonly stats: ColumnStats;
  readonly issues: Issue[];
}

function examples(stats: ColumnStats, values: readonly string[]): string {
  if (stats.masked) return '(values hidden: sensitive column)';
  return values
    .slice(0, 4)
    .map((v) => {
      const flat = v.replace(/\s+/g, ' ');
      return `"${flat.length > 50 ? `${flat.slice(0, 47)}…` : flat}"`;
    })
    .join(', ');
}

function rowIssues(
  ctx: Ctx,
  code: string,
  severity: Issue['severity'],
  lines: readonly number[],
  total: number,
  what: string,
): void {
  for (const line of lines.slice(0, ROWS_PER_CHECK)) {
    ctx.issues.push({
      code,
      severity,
      file: ctx.file,
      line,
      field: ctx.stats.name,
      message: `${ctx.file}:${line} [${ctx.stats.name}]: ${what}.`,
    });
  }
  if (total > ROWS_PER_CHECK) {
    ctx.issues.push({
      code,
      severity,
      file: ctx.file,
      field: ctx.stats.name,
      message: `${ctx.file} [${ctx.stats.name}]: ${total - ROWS_PER_CHECK} more rows with ${what} not listed (${total} in all).`,
    });
  }
}

function checkDates(ctx: Ctx): void {
  const { stats } = ctx;
  const dateCount = stats.countKind('date') + stats.countKind('datetime');
  const serials = stats.linesOf('integer|serial-range');
  if (dateCount / stats.nonEmpty < 0.5) return;
  const formats = new Map<string, { count: number; lines: number[]; examples: string[] }>();
  for (const [shape] of stats.shapes) {
    const [kind, format] = shape.split('|');
    if ((kind === 'date' || kind === 'datetime') && format) {
      const key = `${kind}|${format}`;
      if (!formats.has(key)) formats.set(key, stats.linesOf(key));
    }
  }
  const placeholders = stats.marks.get('placeholder_date');
  const ranked = [...formats.entries()].sort((a, b) => b[1].count - a[1].count);
  const dominant = ranked[0];
  const zoneless = ranked.filter(([key]) => key.startsWith('datetime|') && !key.endsWith('+zone'));
  if (zoneless.length > 0) {
    const count = zoneless.reduce((n, [, v]) => n + v.count, 0);
    const first = zoneless.flatMap(([, v]) => v.lines).sort((a, b) => a - b)[0];
    ctx.issues.push({
      code: 'timestamp_without_zone',
      severity: 'info',
      file: ctx.file,
      line: first,
      field: stats.name,
      message: `${ctx.file} [${stats.name}]: ${count} timestamp(s) without a time zone (e.g. ${examples(
        stats,
        zoneless.flatMap(([, v]) => v.examples),
      )}); they will be read in the configured sourceTimeZone.`,
      fix: 'Set sourceTimeZone in ferry.yaml to the firm’s local zone.',
    });
  }
  const mixed = ranked.length > 1 || serials.count > 0 || (placeholders?.count ?? 0) > 0;
  if (!mixed || !dominant) return;
  const summary = [
    ...ranked.map(([key, v]) => `${key.split('|')[1]} ×${v.count}`),
    ...(serials.count > 0 ? [`Excel serial ×${serials.count}`] : []),
    ...(placeholders ? [`placeholder ×${placeholders.count}`] : []),
  ].join(', ');
  ctx.issues.push({
    code: 'mixed_date_formats',
    severity: 'warning',
    file: ctx.file,
    field: stats.name,
    line: undefined,
    message: `${ctx.file} [${stats.name}]: dates in several formats (${summary}); examples ${examples(stats, [...ranked.flatMap(([, v]) => v.examples.slice(0, 1)), ...serials.examples.slice(0, 1), ...(placeholders?.examples.slice(0, 1) ?? [])])}.`,
    fix: 'Declare the column’s date format in the mapping; placeholders become empty dates.',
  });
  const minority = ranked.slice(1).flatMap(([, v]) => v.lines);
  const minorityCount = ranked.slice(1).reduce((n, [, v]) => n + v.count, 0);
  const lines = [...minority, ...serials.lines, ...(placeholders?.lines ?? [])].sort((a, b) => a - b);
  rowIssues(
    ctx,
    'mixed_date_formats',
    'warning',
    lines,
    minorityCount + serials.count + (placeholders?.count ?? 0),
    `a date not in the column's main format ${dominant[0].split('|')[1]}`,
  );
}

function checkMoney(ctx: Ctx): void {
  const { stats } = ctx;
  const money = stats.linesOf('money');
  if (money.count === 0) return;
  const numeric = money.count + stats.countKind('integer') + stats.countKind('number');
  if (numeric / stats.nonEmpty < 0.6) return;
  const plain = stats.countKind('integer') + stats.countKind('number');
  const text = stats.nonEmpty - numeric;
  ctx.issues.push({
    code: 'currency_string',
    severity: 'warning',
    file: ctx.file,
    field: stats.name,
    message: `${ctx.file} [${stats.name}]: amounts written as text (${money.count} with currency symbols, separators or parentheses${plain > 0 ? `, ${plain} plain numbers` : ''}${text > 0 ? `, ${text} non-numeric` : ''}), e.g. ${examples(stats, money.examples)}.`,
    fix: 'The mapping parses them to decimals; parentheses mean negative, blank is not zero.',
  });
  if (text > 0) {
    const lines = stats.linesOf('text');
    rowIssues(
      ctx,
      'currency_string',
      'warning',
      lines.lines,
      lines.count,
      'a non-numeric value in an amount column',
    );
  }
  // Every formatted amount needs parsing: list them (a plain number is the clean form).
  rowIssues(
    ctx,
    'currency_string',
    'info',
    money.lines,
    money.count,
    'an amount written with currency formatting',
  );
}

function checkPercent(ctx: Ctx): void {
  const { stats } = ctx;
  const percent = stats.linesOf('percent');
  const headerSaysPercent = /%|percent|pct|porcentaje/i.test(stats.name);
  if (percent.count === 0 && !headerSaysPercent) return;
  const numbers = stats.linesOf('number');
  const integers = stats.linesOf('integer');
  const families = [percent.count > 0, numbers.count > 0, integers.count > 0].filter(Boolean).length;
  if (families < 2 && !(percent.count > 0 && percent.examples.some((e) => e.includes('/')))) return;
  if ((percent.count + numbers.count + integers.count) / stats.nonEmpty < 0.6) return;
  ctx.issues.push({
    code: 'percent_variant',
    severity: 'warning',
    file: ctx.file,
    field: stats.name,
    message: `${ctx.file} [${stats.name}]: percentages written several ways, e.g. ${examples(stats, [...percent.examples.slice(0, 2), ...numbers.examples.slice(0, 2), ...integers.examples.slice(0, 1)])}.`,
    fix: 'The mapping normalises them to a fraction; check values such as 0.3333 vs 33.33.',
  });
  // `40%` is the unambiguous spelling; fractions (`33 1/3%`) and bare numbers (`0.3333`, `33.33`) are variants.
  const fraction = stats.linesOf('percent|fraction');
  const variants = [...fraction.lines, ...numbers.lines, ...integers.lines].sort((a, b) => a - b);
  rowIssues(
    ctx,
    'percent_variant',
    'info',
    variants,
    fraction.count + numbers.count + integers.count,
    'a percentage not written as "N%"',
  );
}

function checkHours(ctx: Ctx): void {
  const { stats } = ctx;
  const clock = stats.linesOf('number|h:mm');
  const minutes = stats.linesOf('number|minutes');
  const suffixed = stats.linesOf('number|hours');
  const odd = clock.count + minutes.count + suffixed.count;
  if (odd === 0) return;
  const isHours = conceptsOf(stats.name).includes('hours') || odd / stats.nonEmpty > 0.05;
  if (!isHours || stats.countKind('date') + stats.countKind('datetime') > stats.nonEmpty * 0.5) return;
  ctx.issues.push({
    code: 'hours_format',
    severity: 'warning',
    file: ctx.file,
    field: stats.name,
    message: `${ctx.file} [${stats.name}]: durations written several ways (${clock.count} as h:mm, ${minutes.count} in minutes, ${suffixed.count} with "h", ${stats.countKind('number') + stats.countKind('integer') - odd} decimal), e.g. ${examples(stats, [...clock.examples.slice(0, 1), ...minutes.examples.slice(0, 1), ...suffixed.examples.slice(0, 1)])}.`,
    fix: 'The mapping normalises them to decimal hours.',
  });
  const lines = [...clock.lines, ...minutes.lines, ...suffixed.lines].sort((a, b) => a - b);
  rowIssues(ctx, 'hours_format', 'info', lines, odd, 'a duration not written as decimal hours');
}

function checkBoolean(ctx: Ctx): void {
  const { stats } = ctx;
  if (stats.distinctCapped || stats.distinct.size > 12) return;
  const families = new Map<string, string[]>();
  for (const value of stats.distinct) {
    if (typeof value !== 'string') return;
    const family = booleanFamily(value);
    if (!family) return;
    const list = families.get(family) ?? [];
    list.push(value);
    families.set(family, list);
  }
  const onlyNumeric = families.size === 1 && families.has('1/0');
  if (onlyNumeric) return;
  const spellings = [...stats.distinct].map(String);
  const caseVariants = new Set(spellings.map((s) => s.trim().toLowerCase())).size < spellings.length;
  if (families.size < 2 && !caseVariants) return;
  ctx.issues.push({
    code: 'inconsistent_boolean',
    severity: 'warning',
    file: ctx.file,
    field: stats.name,
    message: `${ctx.file} [${stats.name}]: yes/no written ${families.size > 1 ? `${families.size} ways` : 'in several spellings'} (${[...families.entries()].map(([f, v]) => `${f}: ${v.map((x) => `"${x}"`).join(' ')}`).join('; ')}).`,
    fix: 'The mapping reads all of them as booleans; blank stays unknown.',
  });
  // Rows whose spelling family is not the column's most common one.
  const familyCount = new Map<string, { count: number; lines: number[] }>();
  for (const [shape, t] of stats.shapes) {
    const value = shape.startsWith('boolean|')
      ? shape.slice('boolean|'.length)
      : shape === 'integer'
        ? '1'
        : null;
    const family = value === null ? null : booleanFamily(value);
    if (!family) continue;
    const entry = familyCount.get(family) ?? { count: 0, lines: [] };
    entry.count += t.count;
    entry.lines.push(...t.lines);
    familyCount.set(family, entry);
  }
  const ranked = [...familyCount.entries()].sort((a, b) => b[1].count - a[1].count);
  const total = ranked.reduce((n, [, e]) => n + e.count, 0);
  // With no spelling used by most rows there is no convention: every row is listed.
  const minority = (ranked[0]?.[1].count ?? 0) * 2 > total ? ranked.slice(1) : ranked;
  rowIssues(
    ctx,
    'inconsistent_boolean',
    'info',
    minority.flatMap(([, e]) => e.lines).sort((a, b) => a - b),
    minority.reduce((n, [, e]) => n + e.count, 0),
    minority.length < ranked.length
      ? `a yes/no value not spelled like most (${ranked[0]?.[0] ?? ''})`
      : 'a yes/no value in a column with no majority spelling',
  );
}

function checkMarks(ctx: Ctx): void {
  const { stats } = ctx;
  const concepts = conceptsOf(stats.name);
  const newline = stats.marks.get('embedded_newline');
  if (newline) {
    ctx.issues.push({
      code: 'embedded_newline',
      severity: 'info',
      file: ctx.file,
      field: stats.name,
      line: newline.lines[0],
      message: `${ctx.file} [${stats.name}]: ${newline.count} value(s) span several lines (first at line${newline.lines.length > 1 ? 's' : ''} ${newline.lines.slice(0, 5).join(', ')}); kept as they are.`,
    });
    rowIssues(
      ctx,
      'embedded_newline',
      'info',
      newline.lines.slice(1),
      Math.max(0, newline.count - 1),
      'a value spanning several lines',
    );
  }
  const html = stats.marks.get('html');
  if (html) {
    ctx.issues.push({
      code: 'html_in_notes',
      severity: 'warning',
      file: ctx.file,
      field: stats.name,
      message: `${ctx.file} [${stats.name}]: ${html.count} value(s) contain HTML (${examples(stats, html.examples.slice(0, 2))}).`,
      fix: 'Notes keep HTML (Pipedrive notes are HTML) after sanitising; other fields get plain text.',
    });
    rowIssues(ctx, 'html_in_notes', 'info', html.lines, html.count, 'HTML markup in the text');
  }
  const multi = stats.marks.get('multi_value');
  const longText =
    stats.maxLength > 160 ||
    concepts.some((c) => NOTE_LIKE.has(c)) ||
    /\b(comments?|description|notes?|summary|memo|reason|details?|narrative)\b/i.test(stats.name);
  if (multi && !longText && multi.count >= 1) {
    ctx.issues.push({
      code: 'multi_value_cell',
      severity: 'info',
      file: ctx.file,
      field: stats.name,
      message: `${ctx.file} [${stats.name}]: ${multi.count} cell(s) hold several values (${examples(stats, multi.examples.slice(0, 3))}).`,
      fix: 'Declare the delimiter for this column in the mapping.',
    });
    rowIssues(ctx, 'multi_value_cell', 'info', multi.lines, multi.count, 'several values in one cell');
  }
  const idLike =
    stats.shareOf('id') + stats.shareOf('integer') + stats.shareOf('number') > 0.5 ||
    /(^|\s)(id|number|no\.?|#)$/i.test(stats.name);
  const scientific = stats.marks.get('scientific');
  if (scientific && idLike) {
    rowIssues(
      ctx,
      'excel_mangling',
      'warning',
      scientific.lines,
      scientific.count,
      `a number in scientific notation (${examples(stats, scientific.examples.slice(0, 1))}) — Excel damaged this id; the digits are lost`,
    );
  }
  const formula = stats.marks.get('formula');
  if (formula) {
    rowIssues(
      ctx,
      'excel_mangling',
      'warning',
      formula.lines,
      formula.count,
      `a spreadsheet formula instead of a value (${examples(stats, formula.examples.slice(0, 1))})`,
    );
  }
  const shortZip = stats.marks.get('short_zip');
  if (shortZip) {
    rowIssues(
      ctx,
      'excel_mangling',
      'warning',
      shortZip.lines,
      shortZip.count,
      `a ZIP code that lost its leading zero (${examples(stats, shortZip.examples.slice(0, 1))})`,
    );
  }
}

function checkSensitive(ctx: Ctx): void {
  const { stats } = ctx;
  const inText = stats.marks.get('sensitive_text');
  if (inText) {
    ctx.issues.push({
      code: 'sensitive_data',
      severity: 'info',
      file: ctx.file,
      field: stats.name,
      message: `${ctx.file} [${stats.name}]: ${inText.count} text value(s) mention a diagnosis, SSN or date of birth; Ferry never shows or logs them.`,
      fix: 'Decide whether these texts may go to Pipedrive, or mask them in the mapping.',
    });
    rowIssues(ctx, 'sensitive_data', 'info', inText.lines, inText.count, 'sensitive details in the text');
  }
  if (!conceptsOf(stats.name).some((c) => SENSITIVE.has(c))) return;
  ctx.issues.push({
    code: 'sensitive_data',
    severity: 'info',
    file: ctx.file,
    field: stats.name,
    message: `${ctx.file} [${stats.name}]: sensitive personal data (${stats.nonEmpty} values); Ferry never shows or logs these values.`,
    fix: 'Decide in the mapping whether to migrate, mask or drop this column.',
  });
}

function checkSameConcept(qf: QualityFile, issues: Issue[]): void {
  const byConcept = new Map<Concept, string[]>();
  for (const stats of qf.stats) {
    for (const concept of conceptsOf(stats.name)) {
      if (!SAME_CONCEPT.has(concept)) continue;
      const list = byConcept.get(concept) ?? [];
      list.push(stats.name);
      byConcept.set(concept, list);
    }
  }
  for (const [concept, columns] of byConcept) {
    if (columns.length < 2 || !columns.some((c) => headerPrefix(c) !== null)) continue;
    issues.push({
      code: 'same_concept_different_labels',
      severity: 'info',
      file: qf.extracted.file,
      line: qf.headerLine,
      field: columns[0],
      message: `${qf.extracted.file}: ${columns.map((c) => `"${c}"`).join(', ')} look like one concept (${concept.replace(/_/g, ' ')}) under different labels.`,
      fix: 'The mapping can merge them into one Pipedrive field.',
    });
  }
}
