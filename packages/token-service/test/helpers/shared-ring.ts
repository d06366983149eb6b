/**
 * The shared key-ring suite, run against any KeyStore: two issuer
 * instances share one store, as behind a load balancer, and rotate at the
 * same moments.
 */

import express from 'express';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import request from 'supertest';

import type { KeyStore } from '@portcullis/stores';

import { hashClientSecret } from '../../src/index.js';
import type { TokenService } from '../../src/index.js';
import {
  FAST_RING,
  kidOf,
  mint,
  startInstance,
  states,
  waitFor,
} from './key-ring.js';
import { AUDIENCE, ISSUER } from './keys.js';

const SECRET = 'web-secret';

/** Counts the keys of `store` in each state. */
async function countStates(store: KeyStore): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const state of Object.values(await states(store))) {
    counts[state] = (counts[state] ?? 0) + 1;
  }
  return counts;
}

async function verifiesWith(token: string, service: TokenService) {
  const { iat } = decodeJwt(token);
  await jwtVerify(token, createLocalJWKSet(service.jwks()), {
    issuer: ISSUER,
    audience: AUDIENCE,
    currentDate: new Date((iat as number) * 1000),
  });
}

/** Waits until both instances sign with the one active key of `store`. */
async function settled(
  store: KeyStore,
  services: TokenService[],
): Promise<string> {
  return waitFor('both instances to sign with one active key', async () => {
    const active = Object.entries(await states(store))
      .filter(([, state]) => state === 'active')
      .map(([kid]) => kid);
    const kids = await Promise.all(
      services.map(async (s) => kidOf(await mint(s))),
    );
    const agreed = active.length === 1 && kids.every((k) => k === active[0]);
    return agreed ? (active[0] as string) : '';
  });
}

/** Defines the tests; `makeStore` returns an empty store per test. */
export function sharedRingSuite(makeStore: () => Promise<KeyStore>): void {
  const started: TokenService[] = [];

  afterEach(() => {
    for (const service of started.splice(0)) service.close();
  });

  async function twoInstances(store: KeyStore, overrides = {}) {
    const services = await Promise.all(
      [0, 1].map(() => startInstance(store, overrides)),
    );
    started.push(...services);
    return services;
  }

  it('starting at once on an empty store, agrees on one active key', async () => {
    const store = await makeStore();

    const services = await twoInstances(store);
    const kid = await settled(store, services);

    expect(services[0]!.jwks().keys.map((k) => k.kid)).toContain(kid);
    expect(services[1]!.jwks().keys.map((k) => k.kid)).toContain(kid);
    // As the store returns them: no private member in clear.
    const stored = JSON.stringify(await store.list());
    expect(stored).not.toMatch(/"(d|p|q|dp|dq|qi)":/);
    expect(stored).toContain('"enc":"A256GCM"');
  });

  it('rotating at once, ends with exactly one active key', async () => {
    const store = await makeStore();
    const services = await twoInstances(store);
    const first = await settled(store, services);
    const before = await Promise.all(services.map((s) => mint(s)));

    const rotations = await Promise.all(services.map((s) => s.rotateKeys()));
    const during = await Promise.all(services.map((s) => mint(s)));
    const next = await waitFor('the rotation', async () => {
      const kid = await settled(store, services);
      return kid !== first ? kid : '';
    });
    const after = await Promise.all(services.map((s) => mint(s)));

    const counts = await countStates(store);
    const byKid = await states(store);
    expect(counts.active).toBe(1);
    expect(byKid[first]).toBe('retired');
    expect(byKid[next]).toBe('active');
    expect(rotations.map((r) => r.kid)).toContain(next);
    for (const token of [...before, ...during])
      expect(kidOf(token)).toBe(first);
    for (const token of after) expect(kidOf(token)).toBe(next);
    for (const token of [...before, ...during, ...after]) {
      for (const service of services) await verifiesWith(token, service);
    }
  });

  it('rotating on the schedule, keeps exactly one active key', async () => {
    const store = await makeStore();
    const services = await twoInstances(store, {
      keyRotation: FAST_RING.keyRotation,
    });
    const first = await settled(store, services);

    const second = await waitFor('a scheduled rotation', async () => {
      const kid = await settled(store, services);
      return kid !== first ? kid : '';
    });

    const counts = await countStates(store);
    const byKid = await states(store);
    expect(counts.active).toBe(1);
    expect(byKid[second]).toBe('active');
    // Retired, or already removed after the retired time.
    expect(['retired', undefined]).toContain(byKid[first]);
  });

  it('introspects a token signed by a key that another instance created', async () => {
    const store = await makeStore();
    // Tokens of a live 30 s, so that introspection is not racing their exp.
    const a = await startInstance(store, {
      accessTokenTtlSeconds: 30,
      keyRotation: {
        ...FAST_RING.keyRotation,
        intervalSeconds: 3600,
        retiredSeconds: 31,
      },
    });
    // b re-reads the store only every 30 s: only the unknown kid makes it
    // look again.
    const b = await startInstance(store, {
      clients: [
        { clientId: 'web', secretHash: await hashClientSecret(SECRET) },
      ],
      keyRotation: {
        refreshSeconds: 30,
        pendingSeconds: 31,
        retiredSeconds: 31,
        intervalSeconds: 3600,
      },
    });
    started.push(a, b);
    const app = express().use(b.tokenEndpoints());

    const rotation = await a.rotateKeys();
    const token = await waitFor('the new key to sign at a', async () => {
      const minted = await mint(a);
      return kidOf(minted) === rotation.kid && minted;
    });
    const unknownBefore = !b.jwks().keys.some((k) => k.kid === rotation.kid);
    const res = await request(app)
      .post('/introspect')
      .set(
        'Authorization',
        `Basic ${Buffer.from(`web:${SECRET}`).toString('base64')}`,
      )
      .type('form')
      .send({ token });

    expect(unknownBefore).toBe(true);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ active: true, sub: 'user-1' });
    expect(b.jwks().keys.map((k) => k.kid)).toContain(rotation.kid);
  });
}
