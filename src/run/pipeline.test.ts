import { describe, expect, it } from 'vitest';
import { runPipeline } from './pipeline.ts';

interface Item {
  readonly key: string;
  readonly parents: readonly string[];
}

/** Work whose items finish only when the test says so, recording what started and what was running. */
function controlledWork() {
  const started: string[] = [];
  const finishers = new Map<string, { resolve: () => void; reject: (error: unknown) => void }>();
  let running = 0;
  let mostRunning = 0;
  const work = (item: Item) =>
    new Promise<void>((resolve, reject) => {
      started.push(item.key);
      running += 1;
      mostRunning = Math.max(mostRunning, running);
      finishers.set(item.key, {
        resolve: () => {
          running -= 1;
          resolve();
        },
        reject: (error) => {
          running -= 1;
          reject(error);
        },
      });
    });
  return {
    work,
    started,
    get running() {
      return running;
    },
    get mostRunning() {
      return mostRunning;
    },
    /** Finishes an item and lets the pipeline react (its promise callbacks run on microtasks). */
    async finish(key: string, error?: unknown) {
      const finisher = finishers.get(key);
      if (!finisher) throw new Error(`${key} has not started`);
      finishers.delete(key);
      if (error === undefined) finisher.resolve();
      else finisher.reject(error);
      await flush();
    },
    inProgress: () => [...finishers.keys()],
  };
}

const flush = async () => {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
};

const item = (key: string, ...parents: string[]): Item => ({ key, parents });

/** A stream that counts how far it has been read. */
function counted(items: readonly Item[]) {
  const state = { read: 0 };
  const iterable = {
    *[Symbol.iterator]() {
      for (const candidate of items) {
        state.read += 1;
        yield candidate;
      }
    },
  };
  return { iterable, state };
}

const options = (items: Iterable<Item>, work: (item: Item) => Promise<void>, more = {}) => ({
  items,
  keyOf: (candidate: Item) => candidate.key,
  parentsOf: (candidate: Item) => candidate.parents,
  window: 100,
  concurrency: 4,
  work,
  ...more,
});

describe('runPipeline', () => {
  it('starts a child as soon as its own parent settles, not once every parent has, and never before', async () => {
    const control = controlledWork();
    const items = [
      item('person:1'),
      item('person:2'),
      item('person:3'),
      item('deal:1', 'person:1'),
      item('deal:2', 'person:2'),
      item('deal:3', 'person:3'),
    ];
    const done = runPipeline(options(items, control.work, { concurrency: 6 }));
    await flush();
    // Every person starts at once; no deal before its person has settled.
    expect(control.started).toEqual(['person:1', 'person:2', 'person:3']);
    await control.finish('person:2');
    expect(control.started).toEqual(['person:1', 'person:2', 'person:3', 'deal:2']);
    expect(control.inProgress()).toEqual(['person:1', 'person:3', 'deal:2']);
    await control.finish('person:1');
    expect(control.started.at(-1)).toBe('deal:1');
    for (const key of ['person:3', 'deal:1', 'deal:2']) await control.finish(key);
    await control.finish('deal:3');
    await done;
    expect(control.started).toHaveLength(6);
  });

  it('keeps every place busy across entity boundaries while work is ready (no drain between kinds)', async () => {
    const control = controlledWork();
    const persons = Array.from({ length: 6 }, (_, i) => item(`person:${i}`));
    const deals = Array.from({ length: 6 }, (_, i) => item(`deal:${i}`, `person:${i}`));
    const done = runPipeline(options([...persons, ...deals], control.work, { concurrency: 3 }));
    await flush();
    const idleWhileReady: number[] = [];
    while (control.inProgress().length > 0) {
      // Finish the oldest; the place it frees is taken at once by whatever is ready, person or deal.
      await control.finish(control.inProgress()[0]!);
      const settledOrRunning = control.started.length;
      const ready = 12 - settledOrRunning;
      if (ready > 0 && control.running < 3) idleWhileReady.push(control.running);
    }
    await done;
    expect(idleWhileReady).toEqual([]);
    expect(control.mostRunning).toBe(3);
    expect(control.started).toHaveLength(12);
  });

  it('asks a bound given as a function again as places free up (it follows the rate)', async () => {
    const control = controlledWork();
    let bound = 2;
    const items = Array.from({ length: 10 }, (_, i) => item(`person:${i}`));
    const done = runPipeline(options(items, control.work, { concurrency: () => bound }));
    await flush();
    expect(control.running).toBe(2);
    // The account turns out faster: the next settled item lets the pipeline fill the wider bound.
    bound = 5;
    await control.finish(control.inProgress()[0]!);
    expect(control.running).toBe(5);
    bound = 1;
    while (control.inProgress().length > 1) await control.finish(control.inProgress()[0]!);
    expect(control.running).toBe(1);
    while (control.inProgress().length > 0) await control.finish(control.inProgress()[0]!);
    await done;
    expect(control.started).toHaveLength(10);
  });

  it('reads ahead for ready work, never more than its window of unsettled items', async () => {
    const control = controlledWork();
    const deals = Array.from({ length: 20 }, (_, i) => item(`deal:${i}`, 'person:0'));
    const { iterable, state } = counted([item('person:0'), ...deals]);
    const done = runPipeline(options(iterable, control.work, { window: 5, concurrency: 2 }));
    await flush();
    // A place is free but every deal read waits for the person: reading stops at the window.
    expect(state.read).toBe(5);
    expect(control.started).toEqual(['person:0']);
    while (control.inProgress().length > 0) {
      await control.finish(control.inProgress()[0]!);
      const settled = control.started.length - control.running;
      expect(state.read - settled).toBeLessThanOrEqual(5);
    }
    await done;
    expect(state.read).toBe(21);
    expect(control.mostRunning).toBe(2);
  });

  it('a key seen again waits for the first item of that key', async () => {
    const control = controlledWork();
    const done = runPipeline(options([item('person:1'), item('person:1')], control.work));
    await flush();
    expect(control.started).toEqual(['person:1']);
    await control.finish('person:1');
    expect(control.started).toEqual(['person:1', 'person:1']);
    await control.finish('person:1');
    await done;
  });

  it('stops starting work after a failure, lets the work under way finish, then rethrows the first error', async () => {
    const control = controlledWork();
    const items = Array.from({ length: 10 }, (_, i) => item(`person:${i}`));
    const done = runPipeline(options(items, control.work, { concurrency: 2 }));
    const outcome = done.then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    await flush();
    await control.finish('person:0', new Error('kept failing'));
    expect(control.started).toEqual(['person:0', 'person:1']);
    let settled = false;
    void outcome.then(() => {
      settled = true;
    });
    await flush();
    expect(settled).toBe(false);
    await control.finish('person:1');
    expect(await outcome).toBe('kept failing');
    expect(control.started).toHaveLength(2);
  });

  it('stops starting work once aborted and resolves when the work under way is done', async () => {
    const control = controlledWork();
    const abort = new AbortController();
    const items = Array.from({ length: 10 }, (_, i) => item(`person:${i}`));
    const done = runPipeline(options(items, control.work, { concurrency: 2, signal: abort.signal }));
    await flush();
    abort.abort();
    await control.finish('person:0');
    await control.finish('person:1');
    await expect(done).resolves.toBeUndefined();
    expect(control.started).toEqual(['person:0', 'person:1']);
  });

  it('a stream that fails while read ends the run with its error once the work under way is done', async () => {
    const control = controlledWork();
    const items = {
      *[Symbol.iterator]() {
        yield item('person:1');
        throw new Error('row 7 could not be planned');
      },
    };
    const done = runPipeline(options(items, control.work));
    const outcome = done.then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    await flush();
    await control.finish('person:1');
    expect(await outcome).toBe('row 7 could not be planned');
  });
});
