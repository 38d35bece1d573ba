// Reads that many callers make at the same moment (the webhook answers a burst of events at once; each asks who
// the LINE user is and what she owes) go to the database as one query per kind instead of one per caller.
// dataloader collects the keys asked for until the event loop turns (setImmediate), without caching anything:
// every call still reads what the database holds after the call was made.
import DataLoader from 'dataloader';

/**
 * A read by key that coalesces concurrent calls on the same database handle (a transaction is its own handle).
 * `loadMany` answers each key present; a key it leaves out resolves to undefined.
 */
export function coalescedRead<THandle extends object, TKey, TValue>(
  loadMany: (handle: THandle, keys: readonly TKey[]) => Promise<Map<TKey, TValue>>,
  options: { maxBatchSize?: number } = {},
): (handle: THandle, key: TKey) => Promise<TValue | undefined> {
  const loaders = new WeakMap<THandle, DataLoader<TKey, TValue | undefined, unknown>>();
  return (handle, key) => {
    let loader = loaders.get(handle);
    if (!loader) {
      loader = new DataLoader<TKey, TValue | undefined, unknown>(
        async (keys) => {
          const found = await loadMany(handle, keys);
          return keys.map((k) => found.get(k));
        },
        { cache: false, maxBatchSize: options.maxBatchSize ?? 500, batchScheduleFn: (run) => setImmediate(run) },
      );
      loaders.set(handle, loader);
    }
    return loader.load(key);
  };
}
