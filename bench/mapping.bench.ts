import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  evaluateGroup,
  figuresOf,
  type GroupFigures,
  renderComparison,
  renderEvaluation,
  STYLE_GROUPS,
  type StyleGroup,
} from '../test/eval/evaluate.ts';
import type { BenchSection } from './run.ts';

/** The figures of the untuned run (scripts/eval-mapping.ts --e2e --save), committed before any tuning. */
const UNTUNED = fileURLToPath(new URL('./mapping-untuned.json', import.meta.url));
/** The unseen group's untuned figures, saved when it was written. */
const UNSEEN_UNTUNED = fileURLToPath(new URL('./mapping-unseen-untuned.json', import.meta.url));
/** The fresh group's untuned figures, saved when it was written. */
const FRESH_UNTUNED = fileURLToPath(new URL('./mapping-fresh-untuned.json', import.meta.url));
/** The fresh2 group's untuned figures, saved when it was written. */
const FRESH2_UNTUNED = fileURLToPath(new URL('./mapping-fresh2-untuned.json', import.meta.url));

const GROUP_NOTES: Readonly<Record<StyleGroup, string>> = {
  tuned:
    'The nine styles the proposer was first tuned on (their first, untuned run scored objects 93.7%, column top-1 ' +
    '89.5%, decoys 100%, precision at ≥ 0.9 98.9%): these figures flatter it.',
  training:
    'Tuned on under the protocol: `held-out-uk-vendor` (held out once, then tuned on) and six styles written ' +
    'with the held-out six, before any proposer or reader change, whose misses were studied for general fixes.',
  'held-out':
    '`held-out-us-pi-case-mgmt` (written after an earlier round of tuning) and six styles written with the ' +
    'training six and committed before any proposer or reader change. Scored untuned first (the "untuned" ' +
    'column, the honest estimate at the time), then tuned on in a second round: its misses were studied for ' +
    'general rules (values over header words, no style\'s spellings added), so the "after" column flatters it.',
  unseen:
    'Six styles written while the held-out half was being tuned on, in hands unlike every other style, ' +
    'committed and scored untuned before anyone looked at them (bench/mapping-unseen-untuned.json). Tuned on ' +
    'in a third round, from objects 92.9%, column top-1 88.3%, precision at ≥ 0.9 98.8% and link coverage ' +
    '50.1%: its misses were studied for general rules (values and structure over header words; no German or ' +
    'French words added for its headers), so the "after" column flatters it. The fresh group takes ' +
    'over as the estimate for an export nobody has seen.',
  fresh:
    'Six styles written when the unseen group began to be tuned on, by an engineer who had not seen how Ferry ' +
    'does on any of them, in hands unlike every other style: Dutch and Polish headers, a UK firm keyed by ' +
    'fee-earner initials and composed matter references with an audit-trail status history, a vendor whose ' +
    'references drop its keys\' prefix and padding, Excel "Unicode Text" (UTF-16, tabs, .txt) with people ' +
    'named surname first, and an Access database with Leszynski names and lookup tables. Committed and scored ' +
    'untuned before anyone looked at them (bench/mapping-fresh-untuned.json): objects 54.5%, column top-1 ' +
    '55.6%, decoys rejected 97.1%, precision at ≥ 0.9 94.1%, link coverage 25.7% of 871 references, ' +
    'identities stable 100% of 1,440 rows (the Excel "Unicode Text" style extracted nothing, so it has no ' +
    'migration and no identities in these figures). One change was made after their untuned run, from its ' +
    'report alone: a .txt table saved as UTF-16 is read as a table; and Dutch, Spanish, Polish and ' +
    'Scandinavian header vocabularies were written, after this note had named the languages, by an engineer ' +
    'who never opened these styles. Their misses were first listed once fresh2 was committed; tuned on since, ' +
    'in a fourth round (general rules only, no header words added), so the "after" column flatters it; ' +
    'fresh2 takes over as the estimate for an export nobody has seen.',
  fresh2:
    'Six styles written when the fresh group began to be tuned on, by an engineer who had not seen how Ferry ' +
    'does on any of them, in hands unlike every other style (test/eval/styles-fresh2.ts): a Brazilian firm ' +
    '(Portuguese headers, Windows-1252, semicolons, "R$ 1.234,56", lawyers named by e-mail), an Italian ' +
    "studio's workbooks with the record code in the last column and employers named rather than keyed, a " +
    'CRM\'s report downloads named only by a number with "Object: Field" headers and 18-character ids, a ' +
    'Swedish firm whose matters are keyed by year and sequence (2024-0041; Scandinavian header words were ' +
    'already in Ferry), an Australian practice\'s "cards" with bracketed and dashed qualifiers, and a JSON API ' +
    'flattened to CSV with dotted paths and GUID keys. Committed and scored untuned before anyone looked at ' +
    'them (bench/mapping-fresh2-untuned.json): objects 86.9%, column top-1 81.2%, decoys rejected 97.2%, ' +
    'precision at ≥ 0.9 97.7%, link coverage 66.2% of 1,061 references, identities stable 100% of 1,830 ' +
    'rows. Their misses are never listed and nobody tunes on them: the estimate for an export nobody has ' +
    'seen, where the targets of issue #17 are judged now.',
};

/**
 * Proposer accuracy and end-to-end link coverage on the evaluation set (test/eval/), per group of styles,
 * with the untuned figures beside the current ones.
 */
export async function run(): Promise<BenchSection> {
  const started = performance.now();
  const saved = (path: string) =>
    existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as GroupFigures[]) : [];
  const untuned = [
    ...saved(UNTUNED),
    ...saved(UNSEEN_UNTUNED),
    ...saved(FRESH_UNTUNED),
    ...saved(FRESH2_UNTUNED),
  ];
  const parts: string[] = [];
  for (const group of Object.keys(STYLE_GROUPS) as StyleGroup[]) {
    const evaluation = await evaluateGroup(group, { e2e: true });
    const figures = figuresOf(evaluation);
    parts.push(
      '',
      `### ${group} (${STYLE_GROUPS[group].length} styles)`,
      '',
      GROUP_NOTES[group],
      '',
      renderComparison(
        untuned.find((f) => f.group === group),
        figures,
      ),
      '',
      renderEvaluation(evaluation),
    );
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  return {
    title: 'Mapping proposer accuracy',
    command: 'npx tsx bench/run.ts mapping   (or: npm run eval:mapping -- --e2e)',
    markdown: [
      `The evaluation set: ${Object.values(STYLE_GROUPS).reduce((n, list) => n + list.length, 0)} generated exports of one firm's data in different hands (test/eval/styles*.ts), with`,
      'ground truth per file, column and row. Columns: each export through extractInMemory + proposeMapping; a',
      'mapping is right when its target equals the truth (custom fields compared by normalised name). Decoys are',
      'internal GUIDs nothing references, row versions, empty and constant columns, a "phone" column of e-mails,',
      'row counters, copies of another column and export/sync stamps; rejected means target null. End to end',
      '(`--e2e`): each export extracted into a workspace, proposed, confirmed automatically with a fallback owner,',
      'its schema applied and migrated in full into the simulator; link coverage counts, per relationship, the',
      'references the export carries (to a parent that is in the export) that arrived as the right link in',
      'Pipedrive; identities are stable when every row keeps its key after the same data is exported again with',
      `every file re-sorted (row counters and export stamps renewed). ${seconds} s in all.`,
      '',
      'Protocol: the twelve new styles were written and split into training and held-out halves; the held-out',
      'half was committed before any proposer or reader change; everything was scored untuned and those figures',
      'committed (bench/mapping-untuned.json, shown as "untuned"); tuning then looked only at the training misses.',
      'A second round tuned on the held-out misses; a new unseen group, written meanwhile by someone who did not',
      'see the fixes, took over as the estimate for an export nobody has seen; when it began to be tuned on, a',
      'fresh group, written the same way, took over from it; and when the fresh group began to be tuned on, a',
      'fresh2 group, written the same way and never tuned on, took over in turn.',
      ...parts,
    ].join('\n'),
  };
}
