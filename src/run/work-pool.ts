/**
 * Runs `work` over `items`, `concurrency` at a time (the rate scheduler below paces the requests). Stops
 * taking new items once the signal aborts or an item throws; the items in flight finish, then the first
 * error is rethrown. Aborting is not a failure: the caller ends as stopped and resumes next time.
 * @example await forEachInPool(records, { concurrency: 8, signal }, (record) => deleteOne(record))
 */
export async function forEachInPool<T>(
  items: readonly T[],
  options: { readonly concurrency: number; readonly signal?: AbortSignal | undefined },
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && failure === undefined && !options.signal?.aborted) {
      const item = items[next] as T;
      next += 1;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const workers = Math.min(Math.max(1, options.concurrency), items.length);
  await Promise.all(Array.from({ length: workers }, worker));
  if (failure !== undefined && !options.signal?.aborted) throw failure.error;
}
