/**
 * `npm run eval:mapping`: the mapping evaluation set (test/eval/) through extractInMemory + proposeMapping.
 * Prints object accuracy, column top-1, decoy rejection and precision at confidence ≥ 0.9.
 * Options: --verbose (list every miss), --style NAME (only that style).
 */
import { evaluateMapping, renderScore } from '../test/eval/score-mapping.ts';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const styleIndex = args.indexOf('--style');
const styles = styleIndex >= 0 && args[styleIndex + 1] ? [args[styleIndex + 1]!] : undefined;
const score = await evaluateMapping(styles ? { styles } : {});
const heldOut = await evaluateMapping({ heldOut: true });
process.stdout.write(`${renderScore(score)}\n`);
process.stdout.write(`\nHeld-out style (never tuned on):\n\n${renderScore(heldOut)}\n`);
if (verbose) {
  for (const style of [...score.styles, ...heldOut.styles]) {
    if (style.misses.length === 0) continue;
    process.stdout.write(`\n## ${style.style}\n${style.misses.map((m) => `- ${m}`).join('\n')}\n`);
  }
}
