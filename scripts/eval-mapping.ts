/**
 * `npm run eval:mapping`: the mapping evaluation set (test/eval/) through extractInMemory + proposeMapping.
 * Prints object accuracy, column top-1, decoy rejection and precision at confidence ≥ 0.9, for the tuned
 * styles together and for each held-out style on its own.
 * Options: --verbose (list every miss), --style NAME (only that style).
 */

import { evaluateMapping, renderScore } from '../test/eval/score-mapping.ts';
import { HELD_OUT_STYLES } from '../test/eval/styles.ts';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const styleIndex = args.indexOf('--style');
const only = styleIndex >= 0 ? args[styleIndex + 1] : undefined;
const heldOutNames = HELD_OUT_STYLES.map((style) => style.name);
const score =
  only && heldOutNames.includes(only) ? undefined : await evaluateMapping(only ? { styles: [only] } : {});
const heldOut = [];
for (const name of heldOutNames) {
  if (only && only !== name) continue;
  heldOut.push({ name, score: await evaluateMapping({ heldOut: true, styles: [name] }) });
}
if (score) process.stdout.write(`${renderScore(score)}\n`);
for (const { name, score: held } of heldOut)
  process.stdout.write(`\nHeld-out style ${name}:\n\n${renderScore(held)}\n`);
if (verbose) {
  for (const style of [...(score?.styles ?? []), ...heldOut.flatMap((h) => h.score.styles)]) {
    if (style.misses.length === 0) continue;
    process.stdout.write(`\n## ${style.style}\n${style.misses.map((m) => `- ${m}`).join('\n')}\n`);
  }
}
