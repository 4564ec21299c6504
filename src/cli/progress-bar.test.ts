import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Output } from './output.ts';
import { ProgressBar } from './progress-bar.ts';

/** A progress bar printing plain lines (not a TTY) into `lines`, on a clock the test moves. */
function plainBar() {
  const lines: string[] = [];
  const stderr = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  let now = 0;
  const bar = new ProgressBar(new Output({ json: false, stderr }), { now: () => now, plainEveryMs: 0 });
  return { bar, lines, advance: (ms: number) => (now += ms) };
}

describe('the progress bar', () => {
  it('gives the count and an ETA against an exact total', () => {
    const { bar, lines, advance } = plainBar();
    bar.update({ label: 'records', done: 0, total: 1000 });
    advance(10_000);
    bar.update({ label: 'records', done: 100, total: 1000 });
    expect(lines.at(-1)).toContain('100/1000');
    expect(lines.at(-1)).toContain('ETA 1m30s');
  });

  it('marks an estimated total with ~ and still gives an ETA from it', () => {
    const { bar, lines, advance } = plainBar();
    bar.update({ label: 'records', done: 0, total: 1000, totalIs: 'estimate' });
    advance(10_000);
    bar.update({ label: 'records', done: 100, total: 1000, totalIs: 'estimate' });
    expect(lines.at(-1)).toContain('100/~1000');
    expect(lines.at(-1)).toContain('ETA 1m30s');
  });

  it('shows a total still being counted as N+ with no ETA, rather than a finish that is not near', () => {
    const { bar, lines, advance } = plainBar();
    bar.update({ label: 'records', done: 0, total: 40, totalIs: 'so-far' });
    advance(10_000);
    bar.update({ label: 'records', done: 100, total: 140, totalIs: 'so-far' });
    expect(lines.at(-1)).toContain('100/140+');
    expect(lines.at(-1)).toContain('ETA --');
  });
});
