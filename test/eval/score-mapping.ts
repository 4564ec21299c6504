import type { MappingProposal } from '../../src/mapping/model.ts';
import { parseTarget } from '../../src/mapping/model.ts';
import { normaliseHeader } from '../../src/mapping/normalise-header.ts';
import { proposeMapping } from '../../src/mapping/propose-mapping.ts';
import { extractInMemory } from '../../src/source/backdocket/index.ts';
import { buildEvalSet, type EvalExport, type StyleGroup } from './build-eval-set.ts';

/** Runs the evaluation set through the real extractor and the proposer, and scores it against the truth. */

export interface StyleScore {
  readonly style: string;
  readonly files: number;
  readonly objectsRight: number;
  readonly columns: number;
  readonly columnsRight: number;
  readonly decoys: number;
  readonly decoysRejected: number;
  readonly confident: number;
  readonly confidentRight: number;
  readonly misses: readonly string[];
}

export interface EvalScore {
  readonly styles: readonly StyleScore[];
  readonly objectAccuracy: number;
  readonly top1: number;
  readonly decoyRejection: number;
  readonly confidentPrecision: number;
  /** Calibration: per confidence band, how many mappings and the share right. */
  readonly bands: readonly { readonly band: string; readonly count: number; readonly right: number }[];
  readonly left: number;
}

/** Same target: identical, or the same entity's custom field under the same normalised name. */
export function sameTarget(actual: string | null, expected: string | null, customName?: string): boolean {
  if (actual === expected) return true;
  if (actual === null || expected === null) return false;
  const a = parseTarget(actual);
  const e = parseTarget(expected);
  if (a?.kind !== 'custom' || e?.kind !== 'custom' || a.entity !== e.entity) return false;
  const name = normaliseHeader(a.name);
  // A header-named custom field is right under the canonical name or under the header the style gave it.
  return (
    name === normaliseHeader(e.name) || (customName !== undefined && name === normaliseHeader(customName))
  );
}

export function scoreExport(set: EvalExport, proposal: MappingProposal): StyleScore {
  let objectsRight = 0;
  let columns = 0;
  let columnsRight = 0;
  let decoys = 0;
  let decoysRejected = 0;
  let confident = 0;
  let confidentRight = 0;
  const misses: string[] = [];
  for (const file of set.truth) {
    const proposed = proposal.objects.find((o) => o.file === file.file);
    if (proposed?.object === file.object) objectsRight += 1;
    else misses.push(`${file.file}: object ${proposed?.object ?? 'missing'} ≠ ${file.object}`);
    for (const column of file.columns) {
      const field = proposed?.fields.find(
        (f) => f.column === column.header || f.column.trim() === column.header.trim(),
      );
      const target = field?.target ?? null;
      const right =
        sameTarget(target, column.expected, column.customName) ||
        (column.alternatives ?? []).some((alternative) => sameTarget(target, alternative));
      if (column.decoy) {
        decoys += 1;
        if (target === null) decoysRejected += 1;
        else misses.push(`${file.file} [${column.header}] decoy → ${target}`);
      } else {
        columns += 1;
        if (right) columnsRight += 1;
        else
          misses.push(
            `${file.file} [${column.header}] → ${target ?? 'null'} (${field?.confidence ?? '-'}; ${field?.reason ?? 'no field'}) expected ${column.expected ?? 'null'}`,
          );
      }
      if (field && field.target !== null && field.confidence >= 0.9) {
        confident += 1;
        if (right) confidentRight += 1;
      }
    }
  }
  return {
    style: set.style.name,
    files: set.truth.length,
    objectsRight,
    columns,
    columnsRight,
    decoys,
    decoysRejected,
    confident,
    confidentRight,
    misses,
  };
}

/** Builds the set, extracts it in memory, proposes, scores. `styles` filters by name. */
export async function evaluateMapping(
  options: { seed?: number; styles?: readonly string[]; group?: StyleGroup } = {},
): Promise<EvalScore> {
  const sets = (await buildEvalSet(options.seed, { group: options.group ?? 'tuned' })).filter(
    (s) => !options.styles || options.styles.includes(s.style.name),
  );
  return scoreColumns(sets);
}

/** Extracts each styled export in memory, proposes, and scores objects and columns against the truth. */
export async function scoreColumns(sets: readonly EvalExport[]): Promise<EvalScore> {
  const styles: StyleScore[] = [];
  const bandCounts = new Map<string, { count: number; right: number }>();
  let left = 0;
  for (const set of sets) {
    const { files } = await extractInMemory(set.files);
    const proposal = proposeMapping(files, { defaultPhoneRegion: 'US', defaultCurrency: 'USD' });
    styles.push(scoreExport(set, proposal));
    for (const file of set.truth) {
      const proposed = proposal.objects.find((o) => o.file === file.file);
      for (const column of file.columns) {
        const field = proposed?.fields.find((f) => f.column === column.header);
        if (!field) continue;
        if (field.reason.startsWith('uncertain')) left += 1;
        if (field.target === null) continue;
        const band =
          field.confidence >= 0.9
            ? '≥ 0.90'
            : field.confidence >= 0.75
              ? '0.75–0.90'
              : field.confidence >= 0.55
                ? '0.55–0.75'
                : '< 0.55';
        const entry = bandCounts.get(band) ?? { count: 0, right: 0 };
        entry.count += 1;
        if (
          sameTarget(field.target, column.expected, column.customName) ||
          (column.alternatives ?? []).some((alternative) => sameTarget(field.target, alternative))
        )
          entry.right += 1;
        bandCounts.set(band, entry);
      }
    }
  }
  const sum = (pick: (s: StyleScore) => number) => styles.reduce((total, s) => total + pick(s), 0);
  const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
  return {
    styles,
    objectAccuracy: ratio(
      sum((s) => s.objectsRight),
      sum((s) => s.files),
    ),
    top1: ratio(
      sum((s) => s.columnsRight),
      sum((s) => s.columns),
    ),
    decoyRejection: ratio(
      sum((s) => s.decoysRejected),
      sum((s) => s.decoys),
    ),
    confidentPrecision: ratio(
      sum((s) => s.confidentRight),
      sum((s) => s.confident),
    ),
    bands: ['≥ 0.90', '0.75–0.90', '0.55–0.75', '< 0.55'].map((band) => ({
      band,
      ...(bandCounts.get(band) ?? { count: 0, right: 0 }),
    })),
    left,
  };
}

/** The figures as a Markdown table (for the script and docs/benchmarks.md). */
export function renderScore(score: EvalScore): string {
  const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
  const lines = [
    '| style | files | objects | columns top-1 | decoys rejected | confident (≥0.9) precision |',
    '|---|---|---|---|---|---|',
    ...score.styles.map(
      (s) =>
        `| ${s.style} | ${s.files} | ${s.objectsRight}/${s.files} | ${s.columnsRight}/${s.columns} (${pct(s.columnsRight / s.columns)}) | ${s.decoysRejected}/${s.decoys} | ${s.confidentRight}/${s.confident} |`,
    ),
    '',
    `Objects: ${pct(score.objectAccuracy)} (target 100%) · column top-1: ${pct(score.top1)} (target ≥ 95%) · decoys rejected: ${pct(score.decoyRejection)} (target ≥ 90%) · precision at confidence ≥ 0.9: ${pct(score.confidentPrecision)} (target ≥ 99%) · columns left for a person: ${score.left}`,
    '',
    '| confidence | mappings | right |',
    '|---|---|---|',
    ...score.bands.map((b) => `| ${b.band} | ${b.count} | ${b.count ? pct(b.right / b.count) : '-'} |`),
  ];
  return lines.join('\n');
}
