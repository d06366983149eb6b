/**
 * What a deny-list check adds to jwt-guard's `createVerifier(...).verify`:
 * one token minted by the token service, verified with the verified-token
 * cache off and with the default cache, without a deny-list and with
 * `denyList: { store, claim }` on the memory and Redis stores, by `jti` and
 * by `sid`, and by `sid` with `cacheSeconds: 1` (a "not listed" answer
 * reused for a second while the store's propagation is live). The token is
 * not listed, as for nearly every request; before measuring, each
 * contender is checked to refuse a token that is.
 */

import { performance } from 'node:perf_hooks';

import { createVerifier } from '@portcullis/jwt-guard';
import type { Verifier } from '@portcullis/jwt-guard';
import type { DenyList } from '@portcullis/stores';
import { createTokenService } from '@portcullis/token-service';

import { median } from '../jwt-guard/stats.js';
import { roundOrder } from './order.js';

/** Cache modes: `off` is `tokenCache: false`, `default` the default cache. */
export const CACHE_MODES = ['off', 'default'] as const;
/** Deny-list settings measured, in table order. */
export const DENY_LISTS = [
  'none',
  'memory jti',
  'memory sid',
  'redis jti',
  'redis sid',
  'memory sid cacheSeconds:1',
  'redis sid cacheSeconds:1',
] as const;
/** Verifications in flight. */
export const DENY_IN_FLIGHT = [1, 16] as const;

export type CacheMode = (typeof CACHE_MODES)[number];
export type DenyListSetting = (typeof DENY_LISTS)[number];

/** One measured cell: verifications per second of every round. */
export interface DenyCell {
  cache: CacheMode;
  /** `ping`: a Redis PING alone, the round trip a Redis check costs. */
  list: DenyListSetting | 'ping';
  inFlight: number;
  rounds: number[];
  median: number;
}

const ISSUER = 'https://auth.bench.example';
const AUDIENCE = 'https://api.bench.example';
const TOKEN_TTL_SECONDS = 900;
const CHECK_EVERY = 16;

type Verify = () => Promise<unknown>;

async function measure(
  verify: Verify,
  inFlight: number,
  millis: number,
): Promise<number> {
  const start = performance.now();
  const end = start + millis;
  const counts = await Promise.all(
    Array.from({ length: inFlight }, async () => {
      let count = 0;
      while (performance.now() < end) {
        for (let i = 0; i < CHECK_EVERY; i += 1) await verify();
        count += CHECK_EVERY;
      }
      return count;
    }),
  );
  const elapsed = performance.now() - start;
  return (counts.reduce((a, b) => a + b, 0) * 1000) / elapsed;
}

async function expectRefused(verify: Verify, what: string): Promise<void> {
  const refused = await verify().then(
    () => false,
    (error: { status?: number }) => error.status === 401,
  );
  if (!refused) throw new Error(`${what} accepted a deny-listed token`);
}

/**
 * Measures every (cache, deny-list, in-flight) cell `rounds` times for
 * `millis` ms, in an order rotated and reversed from round to round.
 */
export async function runDenyList(
  stores: Record<'memory' | 'redis', DenyList>,
  ping: () => Promise<unknown>,
  rounds: number,
  millis: number,
  progress: (line: string) => void,
): Promise<DenyCell[]> {
  const service = await createTokenService({ issuer: ISSUER });
  const mint = (sessionId: string) =>
    service.mintAccessToken({
      subject: 'user-1',
      audience: AUDIENCE,
      clientId: 'web',
      scope: ['read:items'],
      sessionId,
      ttlSeconds: TOKEN_TTL_SECONDS,
    });
  const live = await mint('session-live');
  const listed = await mint('session-listed');
  const until = Math.floor(Date.now() / 1000) + TOKEN_TTL_SECONDS;
  for (const store of Object.values(stores)) {
    await store.add(listed.jti, until);
    await store.add('session-listed', until);
  }

  const cells: Array<DenyCell & { verify: Verify }> = [];
  // Closed at the end: with cacheSeconds they hold a subscription open.
  const verifiers: Verifier[] = [];
  for (const cache of CACHE_MODES) {
    for (const list of DENY_LISTS) {
      const [backend, claim, reuse] = list.split(' ') as [
        'memory' | 'redis',
        'jti' | 'sid',
        string | undefined,
      ];
      const cacheSeconds = reuse === undefined ? 0 : 1;
      const verifier: Verifier = createVerifier({
        issuer: ISSUER,
        audience: AUDIENCE,
        jwks: service.jwks(),
        algorithms: ['ES256'],
        ...(cache === 'off' ? { tokenCache: false as const } : {}),
        ...(list === 'none'
          ? {}
          : { denyList: { store: stores[backend], claim, cacheSeconds } }),
      });
      verifiers.push(verifier);
      const verify: Verify = () => verifier.verify(live.accessToken);
      await verify();
      if (list !== 'none') {
        const other =
          (token: string): Verify =>
          () =>
            verifier.verify(token);
        await expectRefused(other(listed.accessToken), `${cache}/${list}`);
      }
      for (const inFlight of DENY_IN_FLIGHT) {
        await measure(verify, inFlight, Math.min(millis, 200));
        cells.push({ cache, list, inFlight, verify, rounds: [], median: 0 });
      }
    }
  }
  for (const cache of CACHE_MODES) {
    for (const inFlight of DENY_IN_FLIGHT) {
      await measure(ping, inFlight, Math.min(millis, 200));
      cells.push({
        cache,
        list: 'ping',
        inFlight,
        verify: ping,
        rounds: [],
        median: 0,
      });
    }
  }

  // Each deny-list setting is compared with no deny-list, same cache mode
  // and concurrency; a PING runs in each group as the round-trip reference.
  const groups = [...new Set(cells.map((c) => `${c.cache}/${c.inFlight}`))].map(
    (key) => cells.filter((c) => `${c.cache}/${c.inFlight}` === key),
  );
  for (let round = 0; round < rounds; round += 1) {
    for (const cell of roundOrder(groups, round)) {
      cell.rounds.push(await measure(cell.verify, cell.inFlight, millis));
    }
    progress(`deny-list: round ${round + 1}/${rounds} done`);
  }

  for (const verifier of verifiers) verifier.close();
  return cells.map(({ verify: _verify, ...cell }) => ({
    ...cell,
    median: median(cell.rounds),
  }));
}
