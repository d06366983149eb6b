import { randomBytes } from 'node:crypto';

import {
  KeyDecryptionError,
  checkKeyEncryptionKeys,
  openPrivateKey,
  sealPrivateKey,
} from '../src/key-encryption.js';
import { PRIVATE_MEMBERS, privateJwkFor } from './helpers/keys.js';

const KEK = { id: 'kek-1', key: randomBytes(32) };
const OTHER = { id: 'kek-1', key: randomBytes(32) };

describe('sealPrivateKey and openPrivateKey', () => {
  it('round-trips a private JWK and keeps no member in clear', async () => {
    const jwk = await privateJwkFor('RS256');

    const sealed = sealPrivateKey(jwk, 'kid-1', KEK);
    const text = JSON.stringify(sealed);

    expect(openPrivateKey(sealed, 'kid-1', [KEK])).toEqual(jwk);
    expect(sealed).toMatchObject({ enc: 'A256GCM', kek: 'kek-1' });
    for (const name of PRIVATE_MEMBERS) {
      const value = (jwk as Record<string, unknown>)[name];
      if (typeof value === 'string') expect(text).not.toContain(value);
    }
  });

  it('uses a fresh IV per seal', async () => {
    const jwk = await privateJwkFor('ES256');

    const first = sealPrivateKey(jwk, 'kid-1', KEK);
    const second = sealPrivateKey(jwk, 'kid-1', KEK);

    expect(first.iv).not.toBe(second.iv);
    expect(first.ciphertext).not.toBe(second.ciphertext);
  });

  it('opens with an older KEK named by the record', async () => {
    const jwk = await privateJwkFor('EdDSA');
    const old = { id: 'kek-0', key: randomBytes(32) };

    const sealed = sealPrivateKey(jwk, 'kid-1', old);

    expect(openPrivateKey(sealed, 'kid-1', [KEK, old])).toEqual(jwk);
  });

  describe('when the key does not open', () => {
    let sealed: ReturnType<typeof sealPrivateKey>;

    beforeAll(async () => {
      sealed = sealPrivateKey(await privateJwkFor('ES256'), 'kid-1', KEK);
    });

    it.each([
      [
        'a wrong KEK under the same id',
        () => openPrivateKey(sealed, 'kid-1', [OTHER]),
      ],
      ['another kid (AAD)', () => openPrivateKey(sealed, 'kid-2', [KEK])],
      [
        'an altered ciphertext',
        () =>
          openPrivateKey(
            { ...sealed, ciphertext: `A${sealed.ciphertext.slice(1)}` },
            'kid-1',
            [KEK],
          ),
      ],
      [
        'a truncated tag',
        () =>
          openPrivateKey({ ...sealed, tag: sealed.tag.slice(0, 8) }, 'kid-1', [
            KEK,
          ]),
      ],
    ])('refuses %s', (_, attempt) => {
      expect(attempt).toThrow(KeyDecryptionError);
      expect(attempt).toThrow('the key is wrong or the record was altered');
    });

    it('names a KEK id that is not configured', () => {
      const attempt = () =>
        openPrivateKey(sealed, 'kid-1', [{ ...KEK, id: 'kek-2' }]);

      expect(attempt).toThrow(KeyDecryptionError);
      expect(attempt).toThrow('"kek-1", which is not configured');
    });
  });
});

describe('checkKeyEncryptionKeys', () => {
  it('accepts no value and a list of 32-byte keys', () => {
    expect(checkKeyEncryptionKeys(undefined)).toBeUndefined();
    expect(checkKeyEncryptionKeys([KEK])).toEqual([KEK]);
  });

  it.each([
    ['an empty list', [], 'keyEncryptionKeys', 'non-empty array'],
    ['a single key', KEK, 'keyEncryptionKeys', 'non-empty array'],
    [
      'a missing id',
      [{ key: KEK.key }],
      'keyEncryptionKeys[0].id',
      'non-empty string',
    ],
    [
      'a long id',
      [{ id: 'x'.repeat(65), key: KEK.key }],
      'keyEncryptionKeys[0].id',
      'at most 64',
    ],
    [
      'a 16-byte key',
      [{ id: 'a', key: randomBytes(16) }],
      'keyEncryptionKeys[0].key',
      'got 16 bytes',
    ],
    [
      'a string key',
      [{ id: 'a', key: 'k'.repeat(32) }],
      'keyEncryptionKeys[0].key',
      'got string',
    ],
    [
      'a repeated id',
      [KEK, { ...OTHER }],
      'keyEncryptionKeys',
      'must not repeat an id',
    ],
  ])('refuses %s', (_, value, path, expected) => {
    const attempt = () => checkKeyEncryptionKeys(value);

    expect(attempt).toThrow(TypeError);
    expect(attempt).toThrow(`option "${path}"`);
    expect(attempt).toThrow(expected);
  });

  it('never repeats a key in its message', () => {
    const secret = 's'.repeat(31);

    expect(() => checkKeyEncryptionKeys([{ id: 'a', key: secret }])).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(secret) }),
    );
  });
});
