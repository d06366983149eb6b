// Contract of DenyList.subscribe: an addition made through one instance
// reaches the listeners of another instance sharing the store within a
// second, and stops reaching them once they unsubscribe.

import type { DenyList } from '../../src/index.js';

const PROPAGATION_LIMIT_MS = 1000;

/** Two DenyLists that share one store, as two app instances would. */
export type MakeDenyListPair = () => Promise<[DenyList, DenyList]>;

function nextKey(seen: Array<string | undefined>, from: number) {
  return new Promise<string | undefined>((resolve, reject) => {
    const deadline = Date.now() + PROPAGATION_LIMIT_MS;
    const poll = (): void => {
      if (seen.length > from) return resolve(seen[from]);
      if (Date.now() > deadline) return reject(new Error('not propagated'));
      setTimeout(poll, 5);
    };
    poll();
  });
}

export function denyListPropagationContract(makePair: MakeDenyListPair): void {
  it('reports an addition to another instance within a second', async () => {
    const [writer, reader] = await makePair();
    const seen: Array<string | undefined> = [];
    const stop = await reader.subscribe?.((key) => seen.push(key));
    expect(stop).toBeDefined();

    try {
      const exp = Date.now() / 1000 + 60;
      const started = Date.now();
      await writer.add('jti-propagated', exp);

      await expect(nextKey(seen, 0)).resolves.toBe('jti-propagated');
      expect(Date.now() - started).toBeLessThan(PROPAGATION_LIMIT_MS);
      await expect(reader.has('jti-propagated')).resolves.toBe(true);
    } finally {
      await stop?.();
    }

    await writer.add('jti-after-stop', Date.now() / 1000 + 60);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen).toEqual(['jti-propagated']);
  });
}
