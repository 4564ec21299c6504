import { type Concurrency, currentBound } from './write-concurrency.ts';

/**
 * Runs `work` over `items`, at most `concurrency` at a time (the rate scheduler below paces the requests).
 * A bound given as a function (`writeConcurrency`) is asked again each time an item finishes, so the pool
 * grows as the scheduler learns the account's rate and answer time. Stops taking new items once the signal
 * aborts or an item throws; the items in flight finish, then the first error is rethrown. Aborting is not
 * a failure: the caller ends as stopped and resumes next time.
 * @example await forEachInPool(records, { concurrency: writeConcurrency(client), signal }, (record) => deleteOne(record))
 */
export function forEachInPool<T>(
  items: readonly T[],
  options: { readonly concurrency: Concurrency; readonly signal?: AbortSignal | undefined },
  work: (item: T) => Promise<void>,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let next = 0;
    let running = 0;
    let failure: { error: unknown } | undefined;
    const taking = () => next < items.length && failure === undefined && !options.signal?.aborted;
    const finishIfDone = () => {
      if (running > 0 || taking()) return;
      if (failure !== undefined && !options.signal?.aborted) reject(failure.error);
      else resolve();
    };
    const fill = () => {
      while (taking() && running < currentBound(options.concurrency)) {
        const item = items[next] as T;
        next += 1;
        running += 1;
        // Started on a later turn, as an awaited call would be: an item that settles at once cannot recurse.
        Promise.resolve()
          .then(() => work(item))
          .catch((error: unknown) => {
            failure ??= { error };
          })
          .finally(() => {
            running -= 1;
            fill();
            finishIfDone();
          });
      }
    };
    fill();
    finishIfDone();
  });
}
