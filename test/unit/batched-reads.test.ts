// coalescedRead: callers at the same moment share one read; each gets its own answer; nothing is cached.
import { describe, expect, it } from 'vitest';
import { coalescedRead } from '../../server/db/batched-reads.ts';

function fakeStore(values: Record<string, number>) {
  const reads: string[][] = [];
  const read = coalescedRead(async (_handle: object, keys: readonly string[]) => {
    reads.push([...keys]);
    return new Map(keys.filter((k) => k in values).map((k) => [k, values[k]!]));
  });
  return { reads, read };
}

describe('coalescedRead', () => {
  it('answers callers of the same moment with one read, each with its own value, undefined when absent', async () => {
    const { reads, read } = fakeStore({ a: 1, b: 2 });
    const handle = {};
    expect(await Promise.all([read(handle, 'a'), read(handle, 'b'), read(handle, 'zz'), read(handle, 'a')])).toEqual([1, 2, undefined, 1]);
    expect(reads).toHaveLength(1);
  });

  it('reads again for a later call (no cache), and keeps two handles (a transaction and the pool) apart', async () => {
    const values: Record<string, number> = { a: 1 };
    const { reads, read } = fakeStore(values);
    const pool = {};
    const transaction = {};
    expect(await read(pool, 'a')).toBe(1);
    values.a = 5;
    expect(await Promise.all([read(pool, 'a'), read(transaction, 'a')])).toEqual([5, 5]);
    expect(reads).toHaveLength(3);
  });

  it('fails every caller of a read that failed, and the next read works', async () => {
    let fail = true;
    const read = coalescedRead(async (_handle: object, keys: readonly string[]) => {
      if (fail) throw new Error('connection lost');
      return new Map(keys.map((k) => [k, k.length]));
    });
    const handle = {};
    const results = await Promise.allSettled([read(handle, 'x'), read(handle, 'yy')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await read(handle, 'yy')).toBe(2);
  });
});

describe('coalescedRead under a burst', () => {
  it('runs at most two reads at once; callers arriving meanwhile wait and share the next one', async () => {
    let running = 0;
    let most = 0;
    const sizes: number[] = [];
    const read = coalescedRead(async (_handle: object, keys: readonly number[]) => {
      running += 1;
      most = Math.max(most, running);
      sizes.push(keys.length);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running -= 1;
      return new Map(keys.map((k) => [k, k * 2]));
    }, { maxInFlight: 2 });
    const handle = {};
    const calls: Array<Promise<number | undefined>> = [];
    for (let wave = 0; wave < 5; wave++) {
      for (let i = 0; i < 10; i++) calls.push(read(handle, wave * 10 + i));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(calls)).toEqual(Array.from({ length: 50 }, (_, i) => i * 2));
    expect(most).toBe(2);
    // The first two waves went at once; the other three waited together for the next free slot.
    expect(sizes).toEqual([10, 10, 30]);
  });
});
