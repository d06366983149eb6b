import { generateKeyPairSync } from 'node:crypto';

import { importKeySet, lookupFailure, lookupKey } from '../src/key-set.js';

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ec2 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicEc = ec.publicKey.export({ format: 'jwk' });
const publicEc2 = ec2.publicKey.export({ format: 'jwk' });

describe('importKeySet', () => {
  it.each<[string, Record<string, unknown>]>([
    ['an oct key', { kty: 'oct', k: 'AAAA', kid: 'x' }],
    [
      'a private EC key',
      { ...ec.privateKey.export({ format: 'jwk' }), kid: 'x' },
    ],
    ['an encryption key', { ...publicEc, use: 'enc', kid: 'x' }],
    ['key_ops without verify', { ...publicEc, key_ops: ['encrypt'], kid: 'x' }],
    [
      'key_ops that is not an array',
      { ...publicEc, key_ops: 'verify', kid: 'x' },
    ],
    ['a numeric kid', { ...publicEc, kid: 7 }],
    ['a broken EC point', { ...publicEc, x: 'AAAA', kid: 'x' }],
    ['an unknown kty', { kty: 'XYZ', kid: 'x' }],
  ])('skips %s', (_, jwk) => {
    expect(importKeySet({ keys: [jwk, null, 'x'] }).entries).toEqual([]);
  });

  it('keeps public signature keys', () => {
    const set = importKeySet({
      keys: [
        { ...publicEc, kid: 'a', use: 'sig', key_ops: ['verify'] },
        { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'b', alg: 'RS256' },
      ],
    });

    expect(set.entries.map((entry) => [entry.kid, entry.alg])).toEqual([
      ['a', undefined],
      ['b', 'RS256'],
    ]);
  });

  it.each([[null], [{}], [{ keys: 'x' }], ['x']])('refuses %j', (doc) => {
    expect(() => importKeySet(doc)).toThrow(TypeError);
  });
});

describe('lookupKey', () => {
  const set = importKeySet({
    keys: [
      { ...publicEc, kid: 'a' },
      { ...publicEc2, kid: 'b' },
    ],
  });

  it('finds the key by kid', () => {
    expect('found' in lookupKey(set, 'b', 'ES256')).toBe(true);
  });

  it.each<[string, string | undefined, string, string]>([
    ['an unknown kid', 'z', 'ES256', 'kid'],
    ['a kid of another key type', 'a', 'RS256', 'type'],
    ['no kid with two candidates', undefined, 'ES256', 'ambiguous'],
  ])('reports %s', (_, kid, alg, missing) => {
    expect(lookupKey(set, kid, alg)).toEqual({ missing });
  });

  it.each([
    ['kid', 'JWT_GUARD_KID_UNKNOWN'],
    ['type', 'JWT_GUARD_KEY_ALG_MISMATCH'],
    ['ambiguous', 'JWT_GUARD_KID_AMBIGUOUS'],
  ] as const)('turns %s into %s', (missing, reason) => {
    expect(lookupFailure(missing).reason).toBe(reason);
  });
});
