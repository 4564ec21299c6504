import { FerryError } from '../core/errors.ts';
import { type Concurrency, currentBound } from './write-concurrency.ts';

/**
 * What the pipeline needs to know of the work it runs: items streamed parents first, each with a key and
 * the keys of the items it waits for.
 */
export interface PipelineOptions<T> {
  /** Streamed: an item's parents come before it (a key not seen yet is not waited for). */
  readonly items: Iterable<T>;
  readonly keyOf: (item: T) => string;
  /** Keys of the items that must be settled before this one starts. */
  readonly parentsOf: (item: T) => Iterable<string>;
  /** Items read and not yet settled, at most: memory stays bounded whatever the stream's length. */
  readonly window: number;
  /**
   * Items being worked on at once, at most (the rate scheduler paces the requests beneath); a function is
   * asked again each time places are filled, so the bound can follow the rate and the answer times.
   */
  readonly concurrency: Concurrency;
  readonly signal?: AbortSignal | undefined;
  readonly work: (item: T) => Promise<void>;
}

interface Node<T> {
  readonly item: T;
  readonly key: string;
  /** Parents not settled yet. */
  waitingFor: number;
  /** Items waiting for this one. */
  readonly children: Node<T>[];
}

/**
 * Runs `work` over a stream of items as soon as the items each one depends on are settled, never leaving a
 * place idle while an item is ready: a deal starts once its own person and organization are in, not once
 * every person is; the stream's entity boundaries are not barriers. Items are read ahead up to `window`
 * unsettled ones. An item whose parent failed still runs (it decides what a missing parent means, e.g.
 * skipping with the reason). A second item with a key already pending waits for the first.
 * Stops starting items once the signal aborts or an item throws; the items under way finish, then the
 * first error is rethrown (aborting is not a failure: the caller ends as stopped).
 * @example await runPipeline({ items, keyOf: (r) => r.identity, parentsOf: (r) => r.links.map((l) => l.identity), window: 2000, concurrency: 64, work })
 */
export function runPipeline<T>(options: PipelineOptions<T>): Promise<void> {
  return new Pipeline(options).run();
}

class Pipeline<T> {
  private readonly options: PipelineOptions<T>;
  private readonly iterator: Iterator<T>;
  private exhausted = false;
  /** Items read and not settled, by key (the latest read when a key repeats). */
  private readonly pending = new Map<string, Node<T>>();
  private unsettled = 0;
  private readonly ready: Node<T>[] = [];
  private readyHead = 0;
  private running = 0;
  private failure: { error: unknown } | undefined;
  private settle: { resolve: () => void; reject: (error: unknown) => void } | undefined;
  private pumping = false;

  constructor(options: PipelineOptions<T>) {
    this.options = options;
    this.iterator = options.items[Symbol.iterator]();
  }

  run(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
      this.pump();
    });
  }

  private get stopping(): boolean {
    return this.failure !== undefined || this.options.signal?.aborted === true;
  }

  /** Starts what is ready, reading ahead while places and the window allow; ends the run when all is done. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      const concurrency = currentBound(this.options.concurrency);
      const window = Math.max(1, this.options.window);
      while (!this.stopping && this.running < concurrency) {
        const next = this.takeReady();
        if (next) {
          this.start(next);
          continue;
        }
        if (this.exhausted || this.unsettled >= window) break;
        this.readOne();
      }
    } catch (error) {
      // The stream itself failed (planning a record threw): stop as for a failed item.
      this.failure ??= { error };
    } finally {
      this.pumping = false;
    }
    this.finishIfDone();
  }

  private takeReady(): Node<T> | undefined {
    if (this.readyHead >= this.ready.length) return undefined;
    const node = this.ready[this.readyHead];
    this.readyHead += 1;
    // Drop the consumed head now and then so the queue does not grow with the run.
    if (this.readyHead > 1024 && this.readyHead * 2 > this.ready.length) {
      this.ready.splice(0, this.readyHead);
      this.readyHead = 0;
    }
    return node;
  }

  private readOne(): void {
    const next = this.iterator.next();
    if (next.done) {
      this.exhausted = true;
      return;
    }
    const item = next.value;
    const node: Node<T> = { item, key: this.options.keyOf(item), waitingFor: 0, children: [] };
    const parents = new Set(this.options.parentsOf(item));
    // The same key again (one record planned twice) waits for the first, which may make it unchanged.
    parents.add(node.key);
    for (const key of parents) {
      const parent = this.pending.get(key);
      if (!parent) continue;
      parent.children.push(node);
      node.waitingFor += 1;
    }
    this.pending.set(node.key, node);
    this.unsettled += 1;
    if (node.waitingFor === 0) this.ready.push(node);
  }

  private start(node: Node<T>): void {
    this.running += 1;
    let work: Promise<void>;
    try {
      work = this.options.work(node.item);
    } catch (error) {
      work = Promise.reject(error);
    }
    work.then(
      () => this.settled(node),
      (error: unknown) => {
        this.failure ??= { error };
        this.settled(node);
      },
    );
  }

  private settled(node: Node<T>): void {
    this.running -= 1;
    this.unsettled -= 1;
    if (this.pending.get(node.key) === node) this.pending.delete(node.key);
    for (const child of node.children) {
      child.waitingFor -= 1;
      if (child.waitingFor === 0) this.ready.push(child);
    }
    this.pump();
  }

  private finishIfDone(): void {
    if (this.running > 0 || !this.settle) return;
    const done = this.stopping || (this.exhausted && this.unsettled === 0);
    if (!done) {
      // Nothing runs, nothing is ready and the window is full: only a cycle of waits does that, and
      // parents-first streams have none. Fail loudly rather than hang.
      if (this.readyHead >= this.ready.length && (this.exhausted || this.unsettled >= this.options.window)) {
        const message = `the write pipeline stalled with ${this.unsettled} record(s) waiting for each other`;
        this.failure = { error: new FerryError('internal', message) };
      } else return;
    }
    const { resolve, reject } = this.settle;
    this.settle = undefined;
    if (this.failure !== undefined && !this.options.signal?.aborted) reject(this.failure.error);
    else resolve();
  }
}
