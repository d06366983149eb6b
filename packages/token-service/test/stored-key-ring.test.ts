import { randomBytes } from 'node:crypto';

import express from 'express';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import request from 'supertest';

import { silentLogger } from '@portcullis/core';
import { createMemoryKeyStore } from '@portcullis/stores';
import type { KeyStore } from '@portcullis/stores';

import { createTokenService } from '../src/index.js';
import type { TokenService } from '../src/index.js';
import { openPrivateKey } from '../src/key-encryption.js';
import type { SealedPrivateKey } from '../src/key-encryption.js';
import { newKeyRecord } from '../src/key-record.js';
import {
  FAST_RING,
  KEK,
  kidOf,
  mint,
  startInstance,
  states,
  waitFor,
} from './helpers/key-ring.js';
import {
  AUDIENCE,
  ISSUER,
  PRIVATE_MEMBERS,
  privateJwkFor,
} from './helpers/keys.js';

const started: TokenService[] = [];

async function start(
  store: KeyStore,
  overrides: Parameters<typeof startInstance>[1] = {},
) {
  const service = await startInstance(store, overrides);
  started.push(service);
  return service;
}

afterEach(() => {
  for (const service of started.splice(0)) service.close();
});

function jwksKids(service: TokenService): string[] {
  return service.jwks().keys.map((k) => k.kid as string);
}

/** Verifies `token` with the service's current JWKS, at its `iat`. */
async function verifies(token: string, service: TokenService) {
  const { iat } = decodeJwt(token);
  const { payload } = await jwtVerify(
    token,
    createLocalJWKSet(service.jwks()),
    {
      issuer: ISSUER,
      audience: AUDIENCE,
      typ: 'at+jwt',
      currentDate: new Date((iat as number) * 1000),
    },
  );
  return payload;
}

/** A store whose calls fail while `broken` is set. */
function breakable(store: KeyStore) {
  const state = { broken: false };
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      state.broken ? Promise.reject(new Error('store down')) : fn(...args);
  const wrapped: KeyStore = {
    list: guard(() => store.list()),
    put: guard((r) => store.put(r)),
    updateState: guard((k, f, t, at) => store.updateState(k, f, t, at)),
    remove: guard((k) => store.remove(k)),
  };
  return { store: wrapped, state };
}

describe('the stored key ring', () => {
  describe('when the store is empty', () => {
    it('creates one active key, publishes it and signs with it', async () => {
      const store = createMemoryKeyStore();

      const service = await start(store);
      const token = await mint(service);

      const [record] = await store.list();
      expect(Object.values(await states(store))).toEqual(['active']);
      expect(jwksKids(service)).toEqual([record?.kid]);
      expect(kidOf(token)).toBe(record?.kid);
      await expect(verifies(token, service)).resolves.toMatchObject({
        sub: 'user-1',
      });
    });

    it.each(['ES256', 'EdDSA', 'RS256'] as const)(
      'generates %s keys',
      async (algorithm) => {
        const service = await start(createMemoryKeyStore(), { algorithm });

        const token = await mint(service);

        expect(service.jwks().keys[0]).toMatchObject({ alg: algorithm });
        await expect(verifies(token, service)).resolves.toBeDefined();
      },
    );

    it('works without a store, with the ring in memory', async () => {
      const service = await createTokenService({ issuer: ISSUER });
      started.push(service);

      const token = await mint(service);

      expect(service.jwks().keys).toHaveLength(1);
      await expect(verifies(token, service)).resolves.toBeDefined();
    });
  });

  describe('on demand', () => {
    it('publishes the new key as pending, then signs with it', async () => {
      const store = createMemoryKeyStore();
      const service = await start(store);
      const [first] = jwksKids(service);

      const rotation = await service.rotateKeys();
      const during = await mint(service);

      expect(jwksKids(service)).toEqual([first, rotation.kid]);
      expect(await states(store)).toEqual({
        [first as string]: 'active',
        [rotation.kid]: 'pending',
      });
      expect(kidOf(during)).toBe(first);

      const after = await waitFor('the new key to sign', async () => {
        const token = await mint(service);
        return kidOf(token) === rotation.kid && token;
      });
      const record = (await store.list()).find((r) => r.kid === rotation.kid);
      expect(
        record!.stateChangedAtMs - record!.createdAtMs,
      ).toBeGreaterThanOrEqual(FAST_RING.keyRotation.pendingSeconds * 1000);
      expect(await states(store)).toEqual({
        [first as string]: 'retired',
        [rotation.kid]: 'active',
      });
      await expect(verifies(during, service)).resolves.toBeDefined();
      await expect(verifies(after as string, service)).resolves.toBeDefined();
    });

    it('removes the retired key after the retired time', async () => {
      const store = createMemoryKeyStore();
      const service = await start(store);
      const [first] = jwksKids(service);

      const rotation = await service.rotateKeys();
      await waitFor('the old key to leave the JWKS', async () => {
        await mint(service);
        return !jwksKids(service).includes(first as string);
      });

      expect(await states(store)).toEqual({ [rotation.kid]: 'active' });
      expect(jwksKids(service)).toEqual([rotation.kid]);
    });

    it('is refused with a configured signing key', async () => {
      const fixed = await createTokenService({
        issuer: ISSUER,
        signingKey: await privateJwkFor('ES256'),
      });

      await expect(fixed.rotateKeys()).rejects.toThrow(TypeError);
      await expect(fixed.rotateKeys()).rejects.toThrow('rotateKeys needs');
    });
  });

  describe('on the schedule', () => {
    it('rotates after the interval, with the pending time before it', async () => {
      const store = createMemoryKeyStore();
      const service = await start(store, {
        keyRotation: FAST_RING.keyRotation,
      });
      const [first] = jwksKids(service);

      const next = await waitFor('a scheduled rotation', async () => {
        const kid = kidOf(await mint(service));
        return kid !== first && kid;
      });

      const records = await store.list();
      const active = records.find((r) => r.kid === next)!;
      const old = records.find((r) => r.kid === first)!;
      expect(active.state).toBe('active');
      expect(
        active.stateChangedAtMs - active.createdAtMs,
      ).toBeGreaterThanOrEqual(FAST_RING.keyRotation.pendingSeconds * 1000);
      expect(active.stateChangedAtMs - old.createdAtMs).toBeGreaterThanOrEqual(
        FAST_RING.keyRotation.intervalSeconds * 1000,
      );
      expect(old.state).toBe('retired');
    });
  });

  describe('encryption at rest', () => {
    it('stores no private member in clear', async () => {
      const store = createMemoryKeyStore();
      await start(store, { algorithm: 'RS256' });

      const [record] = await store.list();
      const stored = JSON.stringify(record);
      const sealed = record!.data.privateKey as SealedPrivateKey;
      const privateJwk = openPrivateKey(sealed, record!.kid, [KEK]);

      expect(record!.data.publicJwk).toMatchObject({ kty: 'RSA' });
      for (const name of PRIVATE_MEMBERS) {
        expect(record!.data.publicJwk).not.toHaveProperty(name);
        const value = (privateJwk as Record<string, unknown>)[name];
        if (typeof value === 'string') expect(stored).not.toContain(value);
      }
      expect(privateJwk).toHaveProperty('d');
      expect(sealed).toMatchObject({ enc: 'A256GCM', kek: KEK.id });
    });

    it('refuses to start with a wrong key-encryption key', async () => {
      const store = createMemoryKeyStore();
      await start(store);

      const attempt = startInstance(store, {
        keyEncryptionKeys: [{ id: KEK.id, key: randomBytes(32) }],
      });

      await expect(attempt).rejects.toThrow(TypeError);
      await expect(attempt).rejects.toThrow(
        /option "keyEncryptionKeys" cannot open the stored keys: .*the key is wrong/,
      );
    });

    it('refuses to start without the key-encryption key a record names', async () => {
      const store = createMemoryKeyStore();
      await start(store);

      const attempt = startInstance(store, {
        keyEncryptionKeys: [{ id: 'kek-2', key: randomBytes(32) }],
      });

      await expect(attempt).rejects.toThrow('"kek-1", which is not configured');
    });

    it('seals new keys with the first KEK and opens older ones', async () => {
      const store = createMemoryKeyStore();
      await start(store);
      const newer = { id: 'kek-2', key: randomBytes(32) };

      const service = await start(store, { keyEncryptionKeys: [newer, KEK] });
      const rotation = await service.rotateKeys();

      const sealedBy = Object.fromEntries(
        (await store.list()).map((r) => [
          r.kid,
          (r.data.privateKey as SealedPrivateKey).kek,
        ]),
      );
      expect(sealedBy[rotation.kid]).toBe('kek-2');
      expect(Object.values(sealedBy).sort()).toEqual(['kek-1', 'kek-2']);
    });

    it('never publishes a key written to the store without the KEK', async () => {
      const store = createMemoryKeyStore();
      const error = jest.fn();
      const service = await start(store, {
        logger: { ...silentLogger, error },
      });
      const forged = await newKeyRecord(
        'ES256',
        { id: KEK.id, key: randomBytes(32) },
        Date.now(),
        Date.now(),
      );

      await store.put(forged);
      await waitFor('a refresh', async () => {
        await mint(service);
        return error.mock.calls.length > 0;
      });

      expect(jwksKids(service)).not.toContain(forged.kid);
      expect(error).toHaveBeenCalledWith('signing key does not open', {
        kid: forged.kid,
        reason: expect.stringContaining('the key is wrong'),
      });
    });

    it('refuses to start without key-encryption keys', () => {
      const attempt = () =>
        startInstance(createMemoryKeyStore(), { keyEncryptionKeys: undefined });

      expect(attempt).toThrow('option "keyEncryptionKeys" is required');
    });
  });

  describe('when the store fails', () => {
    it('refuses to mint with 503 once the view is stale', async () => {
      const { store, state } = breakable(createMemoryKeyStore());
      const service = await start(store);
      const app = express().use(service.router());

      state.broken = true;
      const failure = await waitFor('a stale view', () =>
        mint(service).then(
          () => undefined,
          (error: unknown) => error,
        ),
      );
      const jwks = await request(app).get('/.well-known/jwks.json');

      expect(failure).toMatchObject({
        code: 'temporarily_unavailable',
        status: 503,
      });
      expect(jwks.status).toBe(200);
      expect(jwks.body.keys).toHaveLength(1);

      state.broken = false;
      await expect(mint(service)).resolves.toEqual(expect.any(String));
    });

    it('refuses a token lifetime longer than the ring keeps keys', async () => {
      const service = await start(createMemoryKeyStore());

      await expect(mint(service, 60)).rejects.toThrow(
        'must not exceed 1, the longest lifetime',
      );
    });
  });
});
