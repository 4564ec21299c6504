import { describe, expect, it } from 'vitest';
import { impliedTime, startingLimits, withDailyBudget, withStatedLimits } from './account-limits.ts';

describe('account limits', () => {
  it('start from the plan guess, under the cap', () => {
    const limits = startingLimits({ plan: 'growth', seats: 5, maxRequestsPerSecond: 15, remembered: {} });
    expect(limits.burst).toMatchObject({ requestsPer2s: 40, source: 'plan', capPer2s: 30, pacedPer2s: 30 });
    expect(limits.daily).toMatchObject({ tokens: 300_000, source: 'plan' });
  });

  it('start from what the same account stated before, not what another account did', () => {
    const remembered = {
      burst: { requests: 100, seenAt: '2026-03-01T09:14:00.000Z', account: 'acme.pipedrive.com' },
      daily: { tokens: 750_000, seenAt: '2026-03-01T09:14:00.000Z', account: 'acme.pipedrive.com' },
    };
    const same = startingLimits({ plan: 'growth', seats: 5, remembered, account: 'acme.pipedrive.com' });
    expect(same.burst).toMatchObject({ requestsPer2s: 100, source: 'remembered', pacedPer2s: 100 });
    expect(same.daily).toMatchObject({ tokens: 750_000, source: 'remembered' });
    const other = startingLimits({ plan: 'growth', seats: 5, remembered, account: 'other.pipedrive.com' });
    expect(other.burst).toMatchObject({ requestsPer2s: 40, source: 'plan' });
    expect(other.daily.source).toBe('plan');
  });

  it('take what the answers stated, as the account’s, still under the cap', () => {
    const start = startingLimits({ plan: 'growth', seats: 5, maxRequestsPerSecond: 30, remembered: {} });
    const stated = withStatedLimits(
      start,
      { requests: 120, statedAt: Date.UTC(2026, 2, 1, 9, 14), dailyTokens: 1_050_000, dailyAt: 0 },
      '127.0.0.1:4010',
    );
    expect(stated.burst).toMatchObject({
      requestsPer2s: 120,
      source: 'account',
      seenAt: '2026-03-01T09:14:00.000Z',
      pacedPer2s: 60,
    });
    expect(stated.daily).toMatchObject({ tokens: 1_050_000, source: 'account' });
    expect(stated.account).toBe('127.0.0.1:4010');
    expect(withStatedLimits(start, {})).toEqual(start);
  });

  it('imply the time at the paced rate and the days of Ferry’s share of the budget', () => {
    const limits = withDailyBudget(startingLimits({ plan: 'premium', seats: 1, remembered: {} }), 1_000);
    const implied = impliedTime(limits, { requests: 5_000, tokens: 2_000 });
    expect(implied).toEqual({
      requests: 5_000,
      tokens: 2_000,
      requestsPerSecond: 50,
      seconds: 100,
      days: 3,
    });
  });
});
