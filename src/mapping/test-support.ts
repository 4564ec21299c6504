import { expect } from 'vitest';
import { extractInMemory } from '../source/backdocket/index.ts';
import { decideObjects } from './decide-objects.ts';
import { proposeMapping } from './propose-mapping.ts';

/**
 * Small exports written inside tests (a contacts file, a matters file referencing the contacts, a notes file
 * referencing the matters) and the checks the language tests share: read by the real extractor, objects,
 * keys, column targets and the references between the files must be found as they are for English exports.
 */

export interface ExportFile {
  readonly name: string;
  readonly content: Buffer;
}

/** A semicolon- or comma-separated file as a spreadsheet program saves it (CRLF, trailing newline). */
export const csv = (name: string, lines: string[]): ExportFile => ({
  name,
  content: Buffer.from(`${lines.join('\r\n')}\r\n`),
});

export const rows = (count: number, line: (i: number) => string): string[] =>
  Array.from({ length: count }, (_, i) => line(i));

export async function proposeExport(files: readonly ExportFile[]) {
  const { files: extracted } = await extractInMemory([...files]);
  return { decided: decideObjects(extracted), proposal: proposeMapping(extracted) };
}

export interface ExpectedExport {
  readonly contacts: string;
  readonly matters: string;
  readonly notes: string;
  /** Header → target in each file. */
  readonly columns: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly keys: Readonly<Record<string, string>>;
}

type Proposal = Awaited<ReturnType<typeof proposeExport>>['proposal'];

/** Each header of `columns` proposed for its target in `file`. */
export function expectColumns(
  proposal: Proposal,
  file: string,
  columns: Readonly<Record<string, string>>,
): void {
  const fields = proposal.objects.find((o) => o.file === file)?.fields ?? [];
  for (const [column, target] of Object.entries(columns)) {
    expect(fields.find((f) => f.column === column)?.target, `${file}: ${column}`).toBe(target);
  }
}

/** Contacts, matters and notes decided, each file's key chosen, and the columns (links included) targeted. */
export function checkExport(files: readonly ExportFile[], expected: ExpectedExport) {
  return async () => {
    const { decided, proposal } = await proposeExport(files);
    expect(decided.get(expected.contacts)?.object).toBe('contact');
    expect(decided.get(expected.matters)?.object).toBe('claim');
    expect(decided.get(expected.notes)?.object).toBe('note');
    for (const [file, key] of Object.entries(expected.keys)) {
      expect(proposal.objects.find((o) => o.file === file)?.keyColumn, file).toBe(key);
    }
    for (const [file, columns] of Object.entries(expected.columns)) expectColumns(proposal, file, columns);
  };
}
