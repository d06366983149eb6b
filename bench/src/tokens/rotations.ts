/**
 * Refresh rotations per second through `tokenService.refresh()` (store
 * rotate, then an ES256 access token minted) on memory, Redis and
 * PostgreSQL, next to the store's own `rotate` alone; one call at a time
 * and with 16 in flight, each client on its own family. Contenders
 * alternate within every round; figures are medians of the rounds.
 */

import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import type { RefreshTokenStore } from '@portcullis/stores';
import { createTokenService } from '@portcullis/token-service';

import { median } from '../jwt-guard/stats.js';
import { roundOrder } from './order.js';

/** The stores measured, in table order. */
export const ROTATION_STORES = ['memory', 'redis', 'postgresql'] as const;
/**
 * `refresh`: the service's full path; `rotate`: the store call alone;
 * `mint`: `mintAccessToken` alone (no store, measured once).
 */
export const ROTATION_PATHS = ['refresh', 'rotate', 'mint'] as const;
/** Clients in flight, each on its own family. */
export const ROTATION_IN_FLIGHT = [1, 16] as const;

export type RotationStore = (typeof ROTATION_STORES)[number];
export type RotationPath = (typeof ROTATION_PATHS)[number];

/** One measured cell: rotations per second of every round. */
export interface RotationCell {
  store: RotationStore | 'none';
  path: RotationPath;
  inFlight: number;
  rounds: number[];
  median: number;
}

const ISSUER = 'https://auth.bench.example';
const AUDIENCE = 'https://api.bench.example';
const SECRET = randomBytes(32).toString('base64url');

/** One client: performs one rotation of its own family per call. */
type Step = () => Promise<void>;

const hash = (): string => randomBytes(32).toString('base64url');

async function refreshClients(
  store: RefreshTokenStore,
  count: number,
): Promise<Step[]> {
  const service = await createTokenService({
    issuer: ISSUER,
    audience: AUDIENCE,
    refreshTokens: store,
    refreshTokenSecret: SECRET,
  });
  const steps: Step[] = [];
  for (let i = 0; i < count; i += 1) {
    let { refreshToken } = await service.issueRefreshToken({
      clientId: 'bench',
      subject: `user-${i}`,
      scope: ['read:items'],
    });
    steps.push(async () => {
      const next = await service.refresh({ refreshToken, clientId: 'bench' });
      refreshToken = next.refreshToken;
    });
  }
  return steps;
}

async function mintClients(count: number): Promise<Step[]> {
  const service = await createTokenService({ issuer: ISSUER });
  return Array.from({ length: count }, (_, i) => async () => {
    await service.mintAccessToken({
      subject: `user-${i}`,
      audience: AUDIENCE,
      clientId: 'bench',
      scope: ['read:items'],
      sessionId: `session-${i}`,
    });
  });
}

async function rotateClients(
  store: RefreshTokenStore,
  count: number,
): Promise<Step[]> {
  const steps: Step[] = [];
  for (let i = 0; i < count; i += 1) {
    let current = hash();
    await store.create({
      familyId: hash(),
      clientId: 'bench',
      subject: `user-${i}`,
      scope: 'read:items',
      tokenHash: current,
      idleTtlSeconds: 3600,
      absoluteTtlSeconds: 3600,
    });
    steps.push(async () => {
      const successor = hash();
      const result = await store.rotate({
        presentedHash: current,
        successorHash: successor,
        clientId: 'bench',
        graceSeconds: 5,
      });
      if (result.status !== 'rotated') throw new Error(result.status);
      current = successor;
    });
  }
  return steps;
}

async function measure(steps: Step[], millis: number): Promise<number> {
  const start = performance.now();
  const end = start + millis;
  const counts = await Promise.all(
    steps.map(async (step) => {
      let count = 0;
      while (performance.now() < end) {
        await step();
        count += 1;
      }
      return count;
    }),
  );
  const elapsed = performance.now() - start;
  return (counts.reduce((a, b) => a + b, 0) * 1000) / elapsed;
}

/**
 * Measures every (store, path, in-flight) cell `rounds` times for `millis`
 * ms, in an order rotated and reversed from round to round.
 */
export async function runRotations(
  stores: Record<RotationStore, RefreshTokenStore>,
  rounds: number,
  millis: number,
  progress: (line: string) => void,
): Promise<RotationCell[]> {
  const cells: Array<RotationCell & { steps: Step[] }> = [];
  const add = async (
    store: RotationCell['store'],
    path: RotationPath,
    inFlight: number,
    steps: Step[],
  ): Promise<void> => {
    // Warm-up, and a check that every rotation succeeds.
    await measure(steps, Math.min(millis, 300));
    cells.push({ store, path, inFlight, steps, rounds: [], median: 0 });
  };
  for (const inFlight of ROTATION_IN_FLIGHT) {
    await add('none', 'mint', inFlight, await mintClients(inFlight));
    for (const store of ROTATION_STORES) {
      await add(
        store,
        'refresh',
        inFlight,
        await refreshClients(stores[store], inFlight),
      );
      await add(
        store,
        'rotate',
        inFlight,
        await rotateClients(stores[store], inFlight),
      );
    }
  }

  // Refresh and rotate on one store, and the mint alone, are compared.
  const groups = [...new Set(cells.map((c) => `${c.store}/${c.inFlight}`))].map(
    (key) => cells.filter((c) => `${c.store}/${c.inFlight}` === key),
  );
  for (let round = 0; round < rounds; round += 1) {
    for (const cell of roundOrder(groups, round)) {
      cell.rounds.push(await measure(cell.steps, millis));
    }
    progress(`rotations: round ${round + 1}/${rounds} done`);
  }

  return cells.map(({ steps: _steps, ...cell }) => ({
    ...cell,
    median: median(cell.rounds),
  }));
}
