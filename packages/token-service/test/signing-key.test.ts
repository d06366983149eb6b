import { compactVerify, CompactSign, importJWK } from 'jose';

import { loadSigningKey } from '../src/signing-key.js';
import { PRIVATE_MEMBERS, privateJwkFor } from './helpers/keys.js';

describe('loadSigningKey', () => {
  describe.each(['ES256', 'EdDSA', 'RS256'] as const)('with %s', (alg) => {
    it('generates a key whose public JWK verifies its signatures', async () => {
      const key = await loadSigningKey(undefined, alg);

      const jws = await new CompactSign(new TextEncoder().encode('hello'))
        .setProtectedHeader({ alg })
        .sign(key.privateKey);
      const verified = await compactVerify(
        jws,
        await importJWK(key.publicJwk, alg),
      );

      expect(new TextDecoder().decode(verified.payload)).toBe('hello');
      expect(key.privateKey.type).toBe('private');
      for (const name of PRIVATE_MEMBERS) {
        expect(key.publicJwk).not.toHaveProperty(name);
      }
    });

    it('loads a configured key and publishes its public part', async () => {
      const privateJwk = await privateJwkFor(alg);

      const key = await loadSigningKey(privateJwk, alg);

      expect(key.publicJwk.x).toBe(privateJwk.x);
      expect(key.publicJwk.n).toBe(privateJwk.n);
      expect(key.algorithm).toBe(alg);
    });

    it('generates a different key on each start', async () => {
      const first = await loadSigningKey(undefined, alg);
      const second = await loadSigningKey(undefined, alg);

      expect(first.publicJwk.kid).not.toBe(second.publicJwk.kid);
    });
  });

  it('refuses a key whose public members belong to another key', async () => {
    const privateJwk = await privateJwkFor('ES256');
    const other = await privateJwkFor('ES256');

    const attempt = loadSigningKey(
      { ...privateJwk, x: other.x, y: other.y },
      'ES256',
    );

    await expect(attempt).rejects.toThrow(TypeError);
    await expect(attempt).rejects.toThrow('option "signingKey"');
  });

  it('refuses an Ed25519 key whose x belongs to another key', async () => {
    const privateJwk = await privateJwkFor('EdDSA');
    const other = await privateJwkFor('EdDSA');

    await expect(
      loadSigningKey({ ...privateJwk, x: other.x }, 'EdDSA'),
    ).rejects.toThrow('option "signingKey"');
  });

  it('refuses an RSA key whose modulus belongs to another key', async () => {
    const privateJwk = await privateJwkFor('RS256');
    const other = await privateJwkFor('RS256');

    await expect(
      loadSigningKey({ ...privateJwk, n: other.n }, 'RS256'),
    ).rejects.toThrow('option "signingKey"');
  });

  it('generates 2048-bit RSA keys', async () => {
    const key = await loadSigningKey(undefined, 'RS256');

    expect(key.privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('refuses key material that does not decode', async () => {
    const privateJwk = await privateJwkFor('ES256');

    await expect(
      loadSigningKey({ ...privateJwk, d: 'not-a-scalar' }, 'ES256'),
    ).rejects.toThrow('option "signingKey" is not a valid private key');
  });
});
