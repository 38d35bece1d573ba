// Reads that many callers make at the same moment (the webhook answers a burst of events at once; each asks who
// the LINE user is and what she owes) go to the database as one query per kind instead of one per caller.
// dataloader collects the keys asked for until the event loop turns (setImmediate), without caching anything:
// every call still reads what the database holds after the call was made.
import DataLoader from 'dataloader';

/**
 * A read by key that coalesces concurrent calls on the same database handle (a transaction is its own handle).
 * `loadMany` answers each key present; a key it leaves out resolves to undefined. At most `maxInFlight` reads of
 * this kind run at once on a handle (4 unless told): callers arriving meanwhile join the next read, so a burst takes a few
 * connections of the pool, not all of them (the webhook's inserts must still find one).
 */
export function coalescedRead<THandle extends object, TKey, TValue>(
  loadMany: (handle: THandle, keys: readonly TKey[]) => Promise<Map<TKey, TValue>>,
  options: { maxBatchSize?: number; maxInFlight?: number } = {},
): (handle: THandle, key: TKey) => Promise<TValue | undefined> {
  const maxInFlight = options.maxInFlight ?? 4;
  const loaders = new WeakMap<THandle, DataLoader<TKey, TValue | undefined, unknown>>();
  return (handle, key) => {
    let loader = loaders.get(handle);
    if (!loader) {
      let inFlight = 0;
      const ready: Array<() => void> = [];
      const startReady = () => {
        while (inFlight < maxInFlight && ready.length > 0) ready.shift()!();
      };
      loader = new DataLoader<TKey, TValue | undefined, unknown>(
        async (keys) => {
          inFlight += 1;
          try {
            const found = await loadMany(handle, keys);
            return keys.map((k) => found.get(k));
          } finally {
            inFlight -= 1;
            startReady();
          }
        },
        {
          cache: false,
          maxBatchSize: options.maxBatchSize ?? 500,
          // A batch collects keys until the event loop turns, and then until a read slot is free.
          batchScheduleFn: (dispatch) =>
            setImmediate(() => {
              ready.push(dispatch);
              startReady();
            }),
        },
      );
      loaders.set(handle, loader);
    }
    return loader.load(key);
  };
}
