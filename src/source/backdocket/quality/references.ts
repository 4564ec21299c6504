import type { Issue } from '../../../core/issues.ts';
import type { ColumnReference } from '../../model.ts';
import { OBJECT_ID_CONCEPT } from '../detect-object.ts';
import { conceptsOf, normalizeHeader } from '../headers.ts';
import { type QualityFile, type QualityInput, ROWS_PER_CHECK } from './quality-input.ts';

const ID_CONCEPTS: ReadonlySet<string> = new Set(Object.values(OBJECT_ID_CONCEPT));

/** Whether a column's name makes it a candidate for `findReferences` (an object's id concept, or id-named). */
export function mayReference(columnName: string): boolean {
  return conceptsOf(columnName).some((c) => ID_CONCEPTS.has(c)) || isIdNamed(columnName);
}

function isIdNamed(columnName: string): boolean {
  return /(^|\s)(id|number|key)$/.test(normalizeHeader(columnName));
}

/** file → column → references found for it. */
export type ReferenceMap = Map<string, Map<string, ColumnReference[]>>;

/**
 * Finds which columns hold another file's keys (by header concept, or by near-total key overlap for an
 * id-named column). Pure over the column statistics.
 */
export function findReferences(files: readonly QualityFile[]): ReferenceMap {
  const result: ReferenceMap = new Map();
  const targets = files.filter(
    (f) => f.extracted.keyColumn !== null && f.extracted.detection.object !== null && f.keys.size > 0,
  );
  for (const from of files) {
    const perColumn = new Map<string, ColumnReference[]>();
    for (const stats of from.stats) {
      if (stats.name === from.extracted.keyColumn || stats.distinctCapped || stats.distinct.size === 0)
        continue;
      if (stats.maxLength > 40) continue;
      const concepts = conceptsOf(stats.name);
      const conceptTargets = targets.filter((t) => {
        const idConcept = OBJECT_ID_CONCEPT[t.extracted.detection.object!];
        return (
          idConcept !== undefined &&
          concepts.includes(idConcept) &&
          !(t === from && stats.name === from.extracted.keyColumn)
        );
      });
      const idNamed = isIdNamed(stats.name);
      const candidates =
        conceptTargets.length > 0 ? conceptTargets : idNamed ? targets.filter((t) => t !== from) : [];
      const refs: ColumnReference[] = [];
      for (const target of candidates) {
        let hits = 0;
        for (const value of stats.distinct)
          if (typeof value === 'string' && target.keys.has(value.trim())) hits += 1;
        const overlap = Math.round((hits / stats.distinct.size) * 10000) / 10000;
        const byConcept = conceptTargets.includes(target);
        if ((byConcept && overlap > 0) || (!byConcept && overlap >= 0.95 && stats.distinct.size >= 3)) {
          refs.push({ object: target.extracted.detection.object!, file: target.extracted.file, overlap });
        }
      }
      refs.sort((a, b) => b.overlap - a.overlap);
      if (refs.length > 0) perColumn.set(stats.name, conceptTargets.length > 0 ? refs : refs.slice(0, 1));
    }
    if (perColumn.size > 0) result.set(from.extracted.file, perColumn);
  }
  return result;
}

/**
 * Rows whose reference values are not among the referenced file's keys. A missing parent that several
 * child rows point at (a claim with its notes, tasks, events) means the parent file was filtered or
 * capped: those rows are reported as `truncated_export`; a lone dangling value is an `orphan_reference`.
 */
export function checkOrphans(input: QualityInput, references: ReferenceMap): Issue[] {
  const issues: Issue[] = [];
  const byFile = new Map(input.files.map((f) => [f.extracted.file, f]));
  interface Hit {
    readonly file: string;
    readonly column: string;
    readonly line: number;
    readonly sourceKey: string;
    readonly value: string;
  }
  // target file → missing value → rows pointing at it
  const missing = new Map<string, Map<string, Hit[]>>();
  const rowCounts = new Map<string, number>();
  for (const [file, columns] of references) {
    const from = byFile.get(file);
    if (!from) continue;
    const orphanColumns: { column: string; target: QualityFile; orphans: Set<string> }[] = [];
    for (const [column, refs] of columns) {
      const ref = refs[0];
      const target = ref ? byFile.get(ref.file) : undefined;
      if (!ref || !target || ref.overlap >= 1) continue;
      const stats = from.stats.find((s) => s.name === column);
      const orphans = new Set<string>();
      for (const value of stats?.distinct ?? []) {
        if (typeof value === 'string' && !target.keys.has(value.trim())) orphans.add(value);
      }
      if (orphans.size > 0) orphanColumns.push({ column, target, orphans });
    }
    if (orphanColumns.length === 0) continue;
    for (const row of input.rows(
      file,
      orphanColumns.map((o) => o.column),
    )) {
      for (const { column, target, orphans } of orphanColumns) {
        const value = row.values[column] ?? '';
        if (!orphans.has(value)) continue;
        const targetFile = target.extracted.file;
        const perValue = missing.get(targetFile) ?? new Map<string, Hit[]>();
        missing.set(targetFile, perValue);
        const hits = perValue.get(value.trim()) ?? [];
        perValue.set(value.trim(), hits);
        hits.push({ file, column, line: row.line, sourceKey: row.sourceKey, value });
        const countKey = `${file}\u0000${column}`;
        rowCounts.set(countKey, (rowCounts.get(countKey) ?? 0) + 1);
      }
    }
  }
  const listed = new Map<string, number>();
  const allow = (hit: Hit, code: string) => {
    const key = `${code}\u0000${hit.file}\u0000${hit.column}`;
    const n = (listed.get(key) ?? 0) + 1;
    listed.set(key, n);
    return n <= ROWS_PER_CHECK;
  };
  for (const [targetFile, perValue] of missing) {
    const target = byFile.get(targetFile) as QualityFile;
    const object = target.extracted.detection.object;
    const parents = [...perValue.entries()].filter(([, hits]) => hits.length >= 3);
    const truncated = parents.length >= 2;
    for (const [value, hits] of perValue) {
      const isTruncation = truncated && hits.length >= 3;
      for (const hit of hits) {
        const code = isTruncation ? 'truncated_export' : 'orphan_reference';
        if (!allow(hit, code)) continue;
        issues.push({
          code,
          severity: 'warning',
          file: hit.file,
          line: hit.line,
          sourceKey: hit.sourceKey,
          field: hit.column,
          message: isTruncation
            ? `${hit.file}:${hit.line} [${hit.column}]: ${object} "${value}" is missing from ${targetFile}, as are other parents of several rows — the export looks filtered or capped.`
            : `${hit.file}:${hit.line} [${hit.column}]: "${hit.value}" is not a key of ${targetFile} (${object}).`,
          fix: isTruncation
            ? 'Export again as an administrator and compare the row count with the firm’s totals.'
            : 'Quarantine the row, import it unlinked, or add the missing record to the export.',
        });
      }
    }
    if (truncated) {
      const from = new Set(parents.flatMap(([, hits]) => hits.map((h) => h.file)));
      issues.push({
        code: 'truncated_export',
        severity: 'warning',
        file: targetFile,
        message: `${targetFile}: ${parents.length} ${object} key(s) referenced by several rows of ${[...from].join(', ')} are missing from this file (${target.keys.size} rows). The export may be permission-filtered or capped.`,
        fix: 'Export again as an administrator and compare the row count with the firm’s totals.',
      });
    }
  }
  for (const [key, n] of rowCounts) {
    const [file, column] = key.split('\u0000') as [string, string];
    issues.push({
      code: 'orphan_reference',
      severity: 'warning',
      file,
      field: column,
      message: `${file} [${column}]: ${n} row(s) point at keys missing from the referenced file${n > ROWS_PER_CHECK ? ` (first ${ROWS_PER_CHECK} listed)` : ''}.`,
    });
  }
  return issues;
}
