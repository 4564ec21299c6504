import { describe, expect, it } from 'vitest';
import { forEachInPool } from './work-pool.ts';

/** Work items that finish only when the test says so, counting how many are under way. */
function gatedWork() {
  const gates: (() => void)[] = [];
  const state = { running: 0, most: 0, done: [] as number[] };
  const work = (item: number) =>
    new Promise<void>((resolve) => {
      state.running += 1;
      state.most = Math.max(state.most, state.running);
      gates.push(() => {
        state.running -= 1;
        state.done.push(item);
        resolve();
      });
    });
  /** Lets the oldest item under way finish, then lets the pool start what it will. */
  const finishOne = async () => {
    gates.shift()?.();
    for (let turn = 0; turn < 5; turn += 1) await Promise.resolve();
  };
  const settle = async () => {
    for (let turn = 0; turn < 5; turn += 1) await Promise.resolve();
  };
  return { state, work, finishOne, settle };
}

describe('forEachInPool', () => {
  it('keeps a fixed number under way, never more, and does every item once', async () => {
    const { state, work, finishOne, settle } = gatedWork();
    const items = Array.from({ length: 10 }, (_, i) => i);
    const pool = forEachInPool(items, { concurrency: 3 }, work);
    await settle();
    expect(state.running).toBe(3);
    while (state.done.length < items.length) await finishOne();
    await pool;
    expect(state.most).toBe(3);
    expect([...state.done].sort((a, b) => a - b)).toEqual(items);
  });

  it('follows a bound that grows and shrinks as it is asked again', async () => {
    const { state, work, finishOne, settle } = gatedWork();
    let bound = 2;
    const pool = forEachInPool(
      Array.from({ length: 40 }, (_, i) => i),
      { concurrency: () => bound },
      work,
    );
    await settle();
    expect(state.running).toBe(2);
    // The scheduler learned a faster account: the next item to finish lets the pool widen at once.
    bound = 12;
    await finishOne();
    expect(state.running).toBe(12);
    // It slows down again: nothing new starts until fewer than 4 are under way.
    bound = 4;
    for (let i = 0; i < 8; i += 1) {
      await finishOne();
      expect(state.running).toBe(11 - i);
    }
    await finishOne();
    expect(state.running).toBe(4);
    while (state.done.length < 40) await finishOne();
    await pool;
    expect(state.done).toHaveLength(40);
  });

  it('stops taking items after one throws, lets the others finish, then rethrows', async () => {
    const started: number[] = [];
    const pool = forEachInPool([0, 1, 2, 3, 4, 5], { concurrency: 2 }, async (item) => {
      started.push(item);
      if (item === 1) throw new Error('item 1 failed');
      // Still under way when item 1 fails: it finishes, and nothing new starts after it.
      await new Promise((resolve) => setTimeout(resolve, 5));
    });
    await expect(pool).rejects.toThrow('item 1 failed');
    expect(started).toEqual([0, 1]);
  });

  it('ends without an error when stopped, taking nothing more', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    await forEachInPool([0, 1, 2, 3], { concurrency: 1, signal: controller.signal }, async (item) => {
      started.push(item);
      if (item === 1) controller.abort(new Error('stopped'));
    });
    expect(started).toEqual([0, 1]);
  });

  it('resolves at once for no items', async () => {
    await expect(forEachInPool([], { concurrency: () => 8 }, async () => {})).resolves.toBeUndefined();
  });
});
