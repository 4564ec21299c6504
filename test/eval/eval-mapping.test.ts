import { describe, expect, it } from 'vitest';
import { evaluateMapping, renderScore } from './score-mapping.ts';

/**
 * The mapping evaluation set as a regression gate: the styled exports go through the real extractor and
 * the proposer. The thresholds are the targets of issue #17. Only the styles tuned on are gated (the nine
 * first, and the training half); the held-out styles are reported by `npm run eval:mapping`, not gated:
 * a gate on them would invite tuning on them. The end-to-end figures (links, identities) are measured by
 * `npm run eval:mapping -- --e2e` and the mapping benchmark; test/e2e/evidence-links.test.ts gates one
 * export's links through the real CLI.
 */
describe('mapping evaluation set', () => {
  it.each(['tuned', 'training'] as const)('meets the accuracy targets on the %s styles', async (group) => {
    const score = await evaluateMapping({ group });
    const report = renderScore(score);
    expect(score.styles.length, report).toBeGreaterThanOrEqual(7);
    expect(score.top1, report).toBeGreaterThanOrEqual(0.95);
    expect(score.decoyRejection, report).toBeGreaterThanOrEqual(0.9);
    expect(score.confidentPrecision, report).toBeGreaterThanOrEqual(0.99);
    expect(score.objectAccuracy, report).toBe(1);
  });
});
