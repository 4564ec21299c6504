import type { Issue } from '../../../core/issues.ts';
import type { ColumnReference } from '../../model.ts';
import { OBJECT_ID_CONCEPT } from '../detect-object.ts';
import { conceptsOf, normalizeHeader } from '../headers.ts';
import { type QualityFile, type QualityInput, ROWS_PER_CHECK } from './quality-input.ts';

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
      const idNamed = /(^|\s)(id|number|key)$/.test(normalizeHeader(stats.name));
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
 * Rows whose reference values are not among the referenced file's keys (orphans), and a truncated-export
 * warning when many parents are missing.
 */
export function checkOrphans(input: QualityInput, references: ReferenceMap): Issue[] {
  const issues: Issue[] = [];
  const byFile = new Map(input.files.map((f) => [f.extracted.file, f]));
  const missingParents = new Map<string, { values: Set<string>; from: Set<string> }>();
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
      if (orphans.size === 0) continue;
      orphanColumns.push({ column, target, orphans });
      const missing = missingParents.get(target.extracted.file) ?? { values: new Set(), from: new Set() };
      for (const v of orphans) missing.values.add(v.trim());
      missing.from.add(file);
      missingParents.set(target.extracted.file, missing);
    }
    if (orphanColumns.length === 0) continue;
    const counts = new Map<string, number>();
    for (const row of input.rows(file)) {
      for (const { column, target, orphans } of orphanColumns) {
        const value = row.values[column] ?? '';
        if (!orphans.has(value)) continue;
        const n = (counts.get(column) ?? 0) + 1;
        counts.set(column, n);
        if (n <= ROWS_PER_CHECK) {
          issues.push({
            code: 'orphan_reference',
            severity: 'warning',
            file,
            line: row.line,
            sourceKey: row.sourceKey,
            field: column,
            message: `${file}:${row.line} [${column}]: "${value}" is not a key of ${target.extracted.file} (${target.extracted.detection.object}).`,
            fix: 'Quarantine the row, import it unlinked, or add the missing record to the export.',
          });
        }
      }
    }
    for (const { column, target, orphans } of orphanColumns) {
      const n = counts.get(column) ?? 0;
      issues.push({
        code: 'orphan_reference',
        severity: 'warning',
        file,
        field: column,
        message: `${file} [${column}]: ${n} row(s) point at ${orphans.size} value(s) missing from ${target.extracted.file}${n > ROWS_PER_CHECK ? ` (first ${ROWS_PER_CHECK} rows listed)` : ''}.`,
      });
    }
  }
  for (const [file, missing] of missingParents) {
    const target = byFile.get(file);
    if (!target) continue;
    const many = missing.values.size >= 5 && missing.values.size >= target.keys.size * 0.02;
    if (!many && missing.from.size < 3) continue;
    issues.push({
      code: 'truncated_export',
      severity: 'warning',
      file,
      message: `${file}: ${missing.values.size} key(s) referenced by ${[...missing.from].join(', ')} are missing from this file (${target.keys.size} rows). The export may be permission-filtered or capped.`,
      fix: 'Export again as an administrator and compare the row count with the firm’s totals.',
    });
  }
  return issues;
}
