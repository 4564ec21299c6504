import type { Output } from './output.ts';

/**
 * A progress line for long work: bar, count, rate, ETA and tokens. Redrawn in place on a TTY; elsewhere
 * printed at most every `plainEveryMs` so CI logs stay readable.
 */
export class ProgressBar {
  private readonly output: Output;
  private readonly now: () => number;
  private readonly plainEveryMs: number;
  private startedAt: number | undefined;
  private lastPlainAt = 0;
  private label = '';

  constructor(output: Output, options: { now?: () => number; plainEveryMs?: number } = {}) {
    this.output = output;
    this.now = options.now ?? Date.now;
    this.plainEveryMs = options.plainEveryMs ?? 5_000;
  }

  /**
   * `total` is exact unless `totalIs` says otherwise: an `estimate` (shown as ~N, with an ETA from it) or
   * only what is known `so-far` (shown as N+, no ETA: the work is still being counted as it is done).
   */
  update(state: {
    label: string;
    done: number;
    total: number;
    totalIs?: 'exact' | 'estimate' | 'so-far';
    tokens?: number;
  }): void {
    if (state.label !== this.label) {
      this.label = state.label;
      this.startedAt = this.now();
      this.lastPlainAt = 0;
    }
    const elapsed = Math.max(1, this.now() - (this.startedAt ?? this.now())) / 1000;
    const rate = state.done / elapsed;
    const totalIs = state.totalIs ?? 'exact';
    const remaining =
      rate > 0 && totalIs !== 'so-far' ? Math.max(0, state.total - state.done) / rate : Number.NaN;
    const share = state.total > 0 ? Math.min(1, state.done / state.total) : 1;
    const width = 24;
    const filled = Math.round(share * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const parts = [
      `${state.label.padEnd(13)} ${bar} ${state.done}/${totalIs === 'estimate' ? '~' : ''}${state.total}${totalIs === 'so-far' ? '+' : ''}`,
      `${rate.toFixed(1)}/s`,
      `ETA ${formatDuration(remaining)}`,
    ];
    if (state.tokens !== undefined) parts.push(`${state.tokens.toLocaleString('en-US')} tokens`);
    const text = parts.join('  ');
    if (this.output.interactive) {
      this.output.progress(text);
      return;
    }
    const finished = totalIs === 'exact' && state.done >= state.total;
    if (finished || this.now() - this.lastPlainAt >= this.plainEveryMs) {
      this.lastPlainAt = this.now();
      this.output.progress(text);
    }
  }

  finish(): void {
    this.output.endProgress();
  }
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--';
  const total = Math.round(seconds);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = total % 60;
  return hours > 0
    ? `${hours}h${String(minutes).padStart(2, '0')}m`
    : `${minutes}m${String(secs).padStart(2, '0')}s`;
}
