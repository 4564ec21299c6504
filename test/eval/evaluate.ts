import { buildEvalSet, type EvalExport, STYLE_GROUPS, type StyleGroup } from './build-eval-set.ts';
import { type EvalScore, renderScore, scoreColumns } from './score-mapping.ts';
import {
  type MigrationScore,
  RELATIONSHIPS,
  type Relationship,
  renderMigrationScores,
  scoreMigration,
} from './score-migration.ts';

/**
 * The evaluation of one group of styles (tuned, training, held-out): columns and objects for every style,
 * and with `e2e` the whole job into the simulator (links and identities). Shared by
 * `npm run eval:mapping` and the mapping benchmark.
 */

export interface GroupEvaluation {
  readonly group: StyleGroup;
  readonly columns: EvalScore;
  readonly migration?: readonly MigrationScore[];
}

/** The headline figures of a group, as saved for comparison (untuned vs after). */
export interface GroupFigures {
  readonly group: StyleGroup;
  readonly styles: readonly string[];
  readonly objects: number;
  readonly top1: number;
  readonly decoys: number;
  readonly precision: number;
  readonly left: number;
  readonly links?: Readonly<Record<Relationship, { references: number; linked: number }>>;
  readonly linkCoverage?: number;
  readonly identities?: { rows: number; stable: number };
}

export async function evaluateGroup(
  group: StyleGroup,
  options: { e2e?: boolean; styles?: readonly string[]; seed?: number } = {},
): Promise<GroupEvaluation> {
  const sets: EvalExport[] = (await buildEvalSet(options.seed, { group })).filter(
    (set) => !options.styles || options.styles.includes(set.style.name),
  );
  const columns = await scoreColumns(sets);
  if (!options.e2e) return { group, columns };
  const migration: MigrationScore[] = [];
  for (const set of sets) migration.push(await scoreMigration(set));
  return { group, columns, migration };
}

export function figuresOf(evaluation: GroupEvaluation): GroupFigures {
  const { columns, migration } = evaluation;
  const base = {
    group: evaluation.group,
    styles: columns.styles.map((s) => s.style),
    objects: columns.objectAccuracy,
    top1: columns.top1,
    decoys: columns.decoyRejection,
    precision: columns.confidentPrecision,
    left: columns.left,
  };
  if (!migration) return base;
  const links = Object.fromEntries(RELATIONSHIPS.map((r) => [r, { references: 0, linked: 0 }])) as Record<
    Relationship,
    { references: number; linked: number }
  >;
  let rows = 0;
  let stable = 0;
  for (const score of migration) {
    for (const r of RELATIONSHIPS) {
      links[r].references += score.links[r].references;
      links[r].linked += score.links[r].linked;
    }
    rows += score.identities.rows;
    stable += score.identities.stable;
  }
  const references = RELATIONSHIPS.reduce((n, r) => n + links[r].references, 0);
  const linked = RELATIONSHIPS.reduce((n, r) => n + links[r].linked, 0);
  return {
    ...base,
    links,
    linkCoverage: references === 0 ? 1 : linked / references,
    identities: { rows, stable },
  };
}

const pct = (n: number | undefined) => (n === undefined ? '-' : `${(n * 100).toFixed(1)}%`);

/** Targets of the held-out half (issue #17). */
export const TARGETS = {
  objects: 1,
  top1: 0.95,
  decoys: 0.9,
  precision: 0.99,
  linkCoverage: 0.99,
  identities: 1,
} as const;

/** Untuned and after, side by side, one row per figure, with the target and whether it is met. */
export function renderComparison(untuned: GroupFigures | undefined, after: GroupFigures): string {
  const stableOf = (f: GroupFigures | undefined) =>
    f?.identities ? (f.identities.rows === 0 ? 1 : f.identities.stable / f.identities.rows) : undefined;
  const rows: [string, number | undefined, number | undefined, number][] = [
    ['objects', untuned?.objects, after.objects, TARGETS.objects],
    ['column top-1', untuned?.top1, after.top1, TARGETS.top1],
    ['decoys rejected', untuned?.decoys, after.decoys, TARGETS.decoys],
    ['precision at confidence ≥ 0.9', untuned?.precision, after.precision, TARGETS.precision],
    ['link coverage', untuned?.linkCoverage, after.linkCoverage, TARGETS.linkCoverage],
    ['identities stable under a re-sorted re-export', stableOf(untuned), stableOf(after), TARGETS.identities],
  ];
  const lines = [
    '| figure | untuned | after | target | met |',
    '|---|---|---|---|---|',
    ...rows.map(
      ([name, before, now, target]) =>
        `| ${name} | ${pct(before)} | ${pct(now)} | ${target === 1 ? '100%' : `≥ ${pct(target)}`} | ${now === undefined ? '-' : now >= target - 1e-9 ? 'yes' : '**no**'} |`,
    ),
  ];
  if (after.links) {
    lines.push('', '| relationship | untuned | after |', '|---|---|---|');
    for (const r of RELATIONSHIPS) {
      const a = after.links[r];
      const u = untuned?.links?.[r];
      const cell = (t: { references: number; linked: number } | undefined) =>
        !t ? '-' : t.references === 0 ? '-' : `${t.linked}/${t.references} (${pct(t.linked / t.references)})`;
      lines.push(`| ${r} | ${cell(u)} | ${cell(a)} |`);
    }
  }
  return lines.join('\n');
}

/** A group's full tables: columns per style, and the migration per style when it ran. */
export function renderEvaluation(evaluation: GroupEvaluation): string {
  return [
    renderScore(evaluation.columns),
    ...(evaluation.migration ? ['', renderMigrationScores(evaluation.migration)] : []),
  ].join('\n');
}

export { STYLE_GROUPS, type StyleGroup };
