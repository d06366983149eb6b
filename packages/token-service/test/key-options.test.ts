import { randomBytes } from 'node:crypto';

import { createMemoryKeyStore } from '@portcullis/stores';

import { checkKeyOptions } from '../src/key-options.js';

const STORE = createMemoryKeyStore();
const KEKS = [{ id: 'kek-1', key: randomBytes(32) }];
const JWK = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'd' };
const SIGNER = {
  kid: 'k1',
  algorithm: 'ES256',
  publicJwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k1' },
  sign: async () => new Uint8Array(64),
};

describe('checkKeyOptions', () => {
  it('applies the defaults', () => {
    expect(checkKeyOptions({}, 300)).toEqual({
      signer: undefined,
      keyStore: undefined,
      keyEncryptionKeys: undefined,
      jwksMaxAgeSeconds: 300,
      keyRotation: {
        intervalMs: 30 * 24 * 3600 * 1000,
        pendingMs: 3600 * 1000,
        retiredMs: (300 + 30 + 3600) * 1000,
        refreshMs: 30 * 1000,
        maxTokenTtlSeconds: 3900,
      },
    });
  });

  it('raises the default pending time above a long JWKS max-age', () => {
    const config = checkKeyOptions({ jwksMaxAgeSeconds: 7200 }, 300);

    expect(config.keyRotation.pendingMs).toBe((7200 + 30) * 1000);
  });

  it('accepts a store with its key-encryption keys', () => {
    const config = checkKeyOptions(
      { keyStore: STORE, keyEncryptionKeys: KEKS },
      300,
    );

    expect(config.keyStore).toBe(STORE);
    expect(config.keyEncryptionKeys).toEqual(KEKS);
  });

  it.each([
    ['signingKey with signer', { signingKey: JWK, signer: SIGNER }, 'signer'],
    [
      'keyStore with signingKey',
      { signingKey: JWK, keyStore: STORE, keyEncryptionKeys: KEKS },
      'keyStore',
    ],
    [
      'keyStore with signer',
      { signer: SIGNER, keyStore: STORE, keyEncryptionKeys: KEKS },
      'keyStore',
    ],
    [
      'keyRotation with signingKey',
      { signingKey: JWK, keyRotation: {} },
      'keyRotation',
    ],
    [
      'keyRotation with signer',
      { signer: SIGNER, keyRotation: {} },
      'keyRotation',
    ],
    [
      'keyStore without keyEncryptionKeys',
      { keyStore: STORE },
      'keyEncryptionKeys',
    ],
    [
      'keyEncryptionKeys without keyStore',
      { keyEncryptionKeys: KEKS },
      'keyEncryptionKeys',
    ],
    [
      'a keyStore without updateState',
      {
        keyStore: { list() {}, put() {}, remove() {} },
        keyEncryptionKeys: KEKS,
      },
      'keyStore',
    ],
    [
      'a signer algorithm unlike algorithm',
      { signer: SIGNER, algorithm: 'EdDSA' },
      'algorithm',
    ],
    ['a zero JWKS max-age', { jwksMaxAgeSeconds: 0 }, 'jwksMaxAgeSeconds'],
    ['keyRotation not an object', { keyRotation: 5 }, 'keyRotation'],
    [
      'an unknown keyRotation member',
      { keyRotation: { interval: 5 } },
      'keyRotation.interval',
    ],
    [
      'a fractional interval',
      { keyRotation: { intervalSeconds: 1.5 } },
      'keyRotation.intervalSeconds',
    ],
    [
      'a negative refresh',
      { keyRotation: { refreshSeconds: -1 } },
      'keyRotation.refreshSeconds',
    ],
    [
      'a pending time under max-age plus refresh',
      { keyRotation: { pendingSeconds: 329 } },
      'keyRotation.pendingSeconds',
    ],
    [
      'a retired time under the token lifetime plus refresh',
      { keyRotation: { retiredSeconds: 329 } },
      'keyRotation.retiredSeconds',
    ],
    [
      'an interval under the pending time',
      { keyRotation: { intervalSeconds: 3599 } },
      'keyRotation.intervalSeconds',
    ],
  ])('refuses %s', (_, input, path) => {
    const attempt = () => checkKeyOptions(input, 300);

    expect(attempt).toThrow(TypeError);
    expect(attempt).toThrow(`@portcullis/token-service: option "${path}"`);
  });

  it('accepts the tightest consistent timings', () => {
    const config = checkKeyOptions(
      {
        jwksMaxAgeSeconds: 1,
        keyRotation: {
          refreshSeconds: 1,
          pendingSeconds: 2,
          intervalSeconds: 2,
          retiredSeconds: 2,
        },
      },
      1,
    );

    expect(config.keyRotation).toMatchObject({
      pendingMs: 2000,
      retiredMs: 2000,
      maxTokenTtlSeconds: 1,
    });
  });
});
