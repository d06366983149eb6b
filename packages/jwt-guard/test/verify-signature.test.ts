import { createSecretKey, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import {
  verifySignature,
  verifySignatureAsync,
} from '../src/verify-signature.js';

const DATA = Buffer.from('header.payload');

function pair(type: string, options: object) {
  return generateKeyPairSync(type as 'ec', options as { namedCurve: string });
}

const rsa = pair('rsa', { modulusLength: 2048 });
const smallRsa = pair('rsa', { modulusLength: 1024 });
const p256 = pair('ec', { namedCurve: 'P-256' });
const p384 = pair('ec', { namedCurve: 'P-384' });
const ed = pair('ed25519', {});

function signWith(alg: string, key: KeyObject): Buffer {
  const hash = `sha${alg.slice(2)}`;
  if (alg.startsWith('RS')) return sign(hash, DATA, key);
  if (alg.startsWith('PS')) {
    return sign(hash, DATA, {
      key,
      padding: 6,
      saltLength: Number(alg.slice(2)) / 8,
    });
  }

  if (alg.startsWith('ES')) {
    return sign(hash, DATA, { key, dsaEncoding: 'ieee-p1363' });
  }

  return sign(null, DATA, key);
}

describe('verifySignature', () => {
  it.each<[string, { privateKey: KeyObject; publicKey: KeyObject }]>([
    ['RS256', rsa],
    ['RS512', rsa],
    ['PS256', rsa],
    ['PS384', rsa],
    ['ES256', p256],
    ['ES384', p384],
    ['EdDSA', ed],
  ])('verifies a %s signature and refuses it over other data', (alg, keys) => {
    const signature = signWith(alg, keys.privateKey);

    expect(verifySignature(alg, keys.publicKey, DATA, signature)).toBe(true);
    expect(
      verifySignature(alg, keys.publicKey, Buffer.from('other'), signature),
    ).toBe(false);
  });

  describe('when the key does not fit the algorithm', () => {
    it.each<[string, string, KeyObject, Buffer]>([
      [
        'an EC key',
        'RS256',
        p256.publicKey,
        signWith('ES256', p256.privateKey),
      ],
      [
        'a P-384 key',
        'ES256',
        p384.publicKey,
        signWith('ES384', p384.privateKey),
      ],
      ['an RSA key', 'ES256', rsa.publicKey, signWith('RS256', rsa.privateKey)],
      ['an RSA key', 'EdDSA', rsa.publicKey, signWith('RS256', rsa.privateKey)],
      [
        'an Ed25519 key',
        'ES256',
        ed.publicKey,
        signWith('EdDSA', ed.privateKey),
      ],
      [
        'a 1024-bit RSA key',
        'RS256',
        smallRsa.publicKey,
        signWith('RS256', smallRsa.privateKey),
      ],
      [
        'a private key',
        'ES256',
        p256.privateKey,
        signWith('ES256', p256.privateKey),
      ],
    ])('refuses %s for %s', (_, alg, key, signature) => {
      expect(verifySignature(alg, key, DATA, signature)).toBe(false);
    });

    it('never uses a public key as an HMAC secret', () => {
      const pem = rsa.publicKey.export({ type: 'spki', format: 'pem' });
      const asSecret = createSecretKey(Buffer.from(pem));
      const mac = require('node:crypto')
        .createHmac('sha256', asSecret)
        .update(DATA)
        .digest();

      expect(verifySignature('HS256', rsa.publicKey, DATA, mac)).toBe(false);
      expect(verifySignature('HS256', asSecret, DATA, mac)).toBe(true);
    });
  });

  it.each([
    ['none', Buffer.alloc(0)],
    ['NONE', Buffer.alloc(0)],
    ['ES256', Buffer.alloc(0)],
    ['ES256', Buffer.alloc(63)],
    ['ES256', Buffer.alloc(65)],
    ['HS999', Buffer.alloc(32)],
    ['__proto__', Buffer.alloc(32)],
  ])(
    'returns false without throwing for alg %s and a bad signature',
    (alg, sig) => {
      expect(verifySignature(alg, p256.publicKey, DATA, sig)).toBe(false);
    },
  );

  it('refuses an RSA signature made with the wrong hash', () => {
    const signature = signWith('RS512', rsa.privateKey);

    expect(verifySignature('RS256', rsa.publicKey, DATA, signature)).toBe(
      false,
    );
  });
});

describe('the signature checks with arguments of the wrong type', () => {
  const signature = Buffer.alloc(64);
  it.each<[string, unknown, unknown, unknown]>([
    ['an undefined signature', p256.publicKey, DATA, undefined],
    ['a null key', null, DATA, signature],
    ['an undefined key', undefined, DATA, signature],
    ['a string key', 'not a key', DATA, signature],
    ['undefined data', p256.publicKey, undefined, signature],
  ])('answer false, never throw, for %s', async (_name, key, data, sig) => {
    const args = ['ES256', key, data, sig] as Parameters<
      typeof verifySignature
    >;

    expect(verifySignature(...args)).toBe(false);
    let result: Promise<boolean> | undefined;
    expect(() => {
      result = verifySignatureAsync(...args);
    }).not.toThrow();
    await expect(result).resolves.toBe(false);
  });
});
