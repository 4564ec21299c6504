import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { CP1252_EXTRA } from '../../src/source/backdocket/generate/csv-writer.ts';
import { buildEvalSet, type EvalExport, STYLE_GROUPS, type TruthFile } from './build-eval-set.ts';

/**
 * The ground truth of the unseen, fresh and fresh2 styles agrees with the files written: every file's header row is the
 * truth's columns, every truth row sits on its line with one cell per column, and a re-sorted re-export
 * holds the same entities. Read here with a plain parser, never through Ferry: this checks the harness,
 * not how Ferry does on these styles (that is scored by `npm run eval:mapping -- --group unseen|fresh|fresh2`).
 */

function decode(content: Buffer, encoding: EvalExport['style']['encoding']): string {
  if (encoding === 'windows-1252') {
    const extra = new Map(Object.entries(CP1252_EXTRA).map(([char, byte]) => [byte, char]));
    return [...content].map((byte) => extra.get(byte) ?? String.fromCharCode(byte)).join('');
  }
  if (encoding === 'utf16le') return content.toString('utf16le').replace(/^\uFEFF/, '');
  return content.toString('utf8').replace(/^\uFEFF/, '');
}

/** RFC 4180 records (quoted cells may hold the delimiter, quotes and line breaks). */
function parseDelimited(text: string, delimiter: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quoted) {
      if (char !== '"') cell += char;
      else if (text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === delimiter) {
      record.push(cell);
      cell = '';
    } else if (char === '\n') {
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
    } else if (char !== '\r') cell += char;
  }
  return records;
}

async function tableOf(set: EvalExport, truth: TruthFile): Promise<string[][]> {
  const file = set.files.find((f) => f.name === truth.file);
  if (!file) throw new Error(`${set.style.name}: no file ${truth.file}`);
  if (!truth.file.endsWith('.xlsx'))
    return parseDelimited(decode(file.content, set.style.encoding), set.style.delimiter ?? ',');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(file.content as unknown as ArrayBuffer);
  const table: string[][] = [];
  workbook.worksheets[0]!.eachRow({ includeEmpty: true }, (row, number) => {
    table[number - 1] = (row.values as unknown[]).slice(1).map((v) => String(v ?? ''));
  });
  return table;
}

describe.each(['unseen', 'fresh', 'fresh2'] as const)('%s styles: ground truth', async (group) => {
  const sets = await buildEvalSet(undefined, { group });

  it('has six styles, none sharing a name with another group', () => {
    expect(sets.map((s) => s.style.name)).toHaveLength(6);
    const names = Object.values(STYLE_GROUPS).flatMap((styles) => styles.map((s) => s.name));
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(sets.map((set) => [set.style.name, set] as const))(
    '%s: headers, lines and re-export agree with the truth',
    async (_name, set) => {
      for (const truth of set.truth) {
        const table = await tableOf(set, truth);
        const lead = set.style.titleRow ? 1 : 0;
        const header = table[lead]!;
        // Stray empty columns after the last are in the file but in no truth.
        const stray = Array.from({ length: set.style.trailingEmpty ?? 0 }, () => '');
        expect(header, truth.file).toEqual([...truth.columns.map((c) => c.header), ...stray]);
        const footer = set.style.footer ? 1 : 0;
        expect(table.length - lead - 1 - footer, truth.file).toBe(truth.rows.length);
        for (const row of truth.rows)
          expect(table[row.line - 1]?.length, `${truth.file}:${row.line}`).toBe(header.length);
      }
      const again = await set.reexport();
      const keys = (truths: readonly TruthFile[]) =>
        truths.map(
          (t) =>
            `${t.file}:${t.rows
              .map((r) => r.key)
              .sort()
              .join(',')}`,
        );
      expect(keys(again.truth)).toEqual(keys(set.truth));
    },
  );
});
