import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUT_POLICY, LatencyTracker, requestTimeoutMs } from './latency-tracker.ts';

describe('LatencyTracker and request timeouts', () => {
  it('reads quantiles of the recent answer times, the oldest dropping out', () => {
    const latency = new LatencyTracker();
    expect(latency.quantile(0.99)).toBeUndefined();
    for (let ms = 1; ms <= 100; ms += 1) latency.record(ms);
    expect(latency.quantile(0.5)).toBe(50);
    expect(latency.quantile(0.99)).toBe(99);
    for (let i = 0; i < LatencyTracker.KEPT; i += 1) latency.record(400);
    expect(latency.quantile(0.5)).toBe(400);
    expect(latency.count).toBe(LatencyTracker.KEPT);
  });

  it('a write times out after several p99 answer times, never under a few seconds; a minute until answers are seen', () => {
    const latency = new LatencyTracker();
    const write = { write: true, bodyBytes: 300 };
    expect(requestTimeoutMs(latency, write)).toBe(DEFAULT_TIMEOUT_POLICY.ceilingMs + 2);
    for (let i = 0; i < 50; i += 1) latency.record(150 + (i % 10) * 10);
    // p99 240 ms × 8 is under the floor.
    expect(requestTimeoutMs(latency, { write: true, bodyBytes: 0 })).toBe(3_000);
    expect(requestTimeoutMs(latency, { write: false, bodyBytes: 0 })).toBe(10_000);
    for (let i = 0; i < LatencyTracker.KEPT; i += 1) latency.record(1_500);
    expect(requestTimeoutMs(latency, { write: true, bodyBytes: 0 })).toBe(12_000);
    for (let i = 0; i < LatencyTracker.KEPT; i += 1) latency.record(20_000);
    expect(requestTimeoutMs(latency, { write: true, bodyBytes: 0 })).toBe(60_000);
  });

  it('an upload gets time for its body on top', () => {
    const latency = new LatencyTracker();
    for (let i = 0; i < 50; i += 1) latency.record(100);
    expect(requestTimeoutMs(latency, { write: true, bodyBytes: 10 * 256 * 1024 })).toBe(13_000);
  });
});
