import { describe, expect, it } from 'vitest';
import { evaluateMapping, renderScore } from './score-mapping.ts';

/**
 * The mapping evaluation set as a regression gate: the styled exports go through the real extractor and
 * the proposer. The thresholds are the brief's targets. The held-out styles are reported by
 * `npm run eval:mapping`, not gated: a gate on them would invite tuning on them.
 */
describe('mapping evaluation set', () => {
  it('meets the accuracy targets', async () => {
    const score = await evaluateMapping();
    const report = renderScore(score);
    expect(score.styles.length, report).toBeGreaterThanOrEqual(9);
    expect(score.top1, report).toBeGreaterThanOrEqual(0.95);
    expect(score.decoyRejection, report).toBeGreaterThanOrEqual(0.9);
    expect(score.confidentPrecision, report).toBeGreaterThanOrEqual(0.99);
    expect(score.objectAccuracy, report).toBe(1);
  });
});
