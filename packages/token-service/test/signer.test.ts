import { generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import { calculateJwkThumbprint, createLocalJWKSet, jwtVerify } from 'jose';
import type { JWK } from 'jose';

import { checkSigner, createLocalSigner } from '../src/signer.js';
import type { Signer } from '../src/signer.js';
import type { SigningAlgorithm } from '../src/signing-key-shape.js';
import { createTokenService } from '../src/index.js';
import { AUDIENCE, ISSUER } from './helpers/keys.js';

const INPUT = { subject: 'user-1', audience: AUDIENCE, clientId: 'web' };

function keyPair(algorithm: SigningAlgorithm) {
  if (algorithm === 'RS256') {
    return generateKeyPairSync('rsa', { modulusLength: 2048 });
  }
  if (algorithm === 'ES256') {
    return generateKeyPairSync('ec', { namedCurve: 'P-256' });
  }
  return generateKeyPairSync('ed25519');
}

async function publicJwkOf(key: KeyObject, algorithm: SigningAlgorithm) {
  const jwk = key.export({ format: 'jwk' }) as JWK;
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: algorithm };
}

/**
 * A signer over a key held outside the service, as a KMS holds it: the
 * service sees only the public JWK and the sign call.
 */
async function kmsSigner(
  algorithm: SigningAlgorithm,
  encoding: 'ieee-p1363' | 'der' = 'ieee-p1363',
): Promise<Signer & { calls: number }> {
  const { privateKey, publicKey } = keyPair(algorithm);
  const publicJwk = await publicJwkOf(publicKey, algorithm);
  const digest = algorithm === 'EdDSA' ? null : 'sha256';
  const signer = {
    calls: 0,
    kid: publicJwk.kid,
    algorithm,
    publicJwk,
    async sign(input: Uint8Array) {
      signer.calls += 1;
      return sign(digest, input, { key: privateKey, dsaEncoding: encoding });
    },
  };
  return signer;
}

describe('a custom signer', () => {
  it.each(['ES256', 'EdDSA', 'RS256'] as const)(
    'signs %s tokens that jose verifies with the published JWKS',
    async (algorithm) => {
      const signer = await kmsSigner(algorithm);
      const service = await createTokenService({ issuer: ISSUER, signer });

      const { accessToken } = await service.mintAccessToken(INPUT);
      const { payload, protectedHeader } = await jwtVerify(
        accessToken,
        createLocalJWKSet(service.jwks()),
        { issuer: ISSUER, audience: AUDIENCE, typ: 'at+jwt' },
      );

      expect(protectedHeader).toEqual({
        alg: algorithm,
        kid: signer.kid,
        typ: 'at+jwt',
      });
      expect(payload).toMatchObject({ sub: 'user-1', client_id: 'web' });
      expect(service.jwks().keys).toEqual([signer.publicJwk]);
      // One probe at start, one per token.
      expect(signer.calls).toBe(2);
    },
  );

  it('refuses at start an ES256 signer that returns DER signatures', async () => {
    const signer = await kmsSigner('ES256', 'der');

    const attempt = createTokenService({ issuer: ISSUER, signer });

    await expect(attempt).rejects.toThrow(TypeError);
    await expect(attempt).rejects.toThrow(
      'option "signer" produced a signature that its "publicJwk" does not verify',
    );
  });

  it('refuses at start a signer whose key is not the published one', async () => {
    const signer = await kmsSigner('ES256');
    const other = await kmsSigner('ES256');

    const attempt = createTokenService({
      issuer: ISSUER,
      signer: { ...other, kid: signer.kid, publicJwk: signer.publicJwk },
    });

    await expect(attempt).rejects.toThrow('option "signer" produced');
  });

  it('refuses at start a signer that fails', async () => {
    const signer = await kmsSigner('ES256');

    const attempt = createTokenService({
      issuer: ISSUER,
      signer: { ...signer, sign: () => Promise.reject(new Error('kms down')) },
    });

    await expect(attempt).rejects.toThrow(
      'option "signer" failed to sign a start-up probe',
    );
  });

  it('answers 503 when the signer fails after start', async () => {
    const signer = await kmsSigner('EdDSA');
    let down = false;
    const service = await createTokenService({
      issuer: ISSUER,
      signer: {
        ...signer,
        sign: (input) =>
          down ? Promise.reject(new Error('kms down')) : signer.sign(input),
      },
    });

    down = true;

    await expect(service.mintAccessToken(INPUT)).rejects.toMatchObject({
      code: 'temporarily_unavailable',
      status: 503,
    });
  });

  it('takes the algorithm from the signer', async () => {
    const signer = await kmsSigner('RS256');

    expect(() =>
      createTokenService({ issuer: ISSUER, algorithm: 'ES256', signer }),
    ).toThrow('option "algorithm" must be the signer\'s "RS256"');
  });
});

describe('createLocalSigner', () => {
  it('returns raw r || s for ES256 (64 bytes)', async () => {
    const { privateKey, publicKey } = keyPair('ES256');
    const signer = createLocalSigner(
      privateKey,
      'ES256',
      await publicJwkOf(publicKey, 'ES256'),
    );

    const signature = await signer.sign(new TextEncoder().encode('x.y'));

    expect(signature).toHaveLength(64);
  });
});

describe('checkSigner', () => {
  const valid = {
    kid: 'k1',
    algorithm: 'ES256',
    publicJwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k1' },
    sign: async () => new Uint8Array(64),
  };

  it('accepts no signer and a well-formed one', () => {
    expect(checkSigner(undefined)).toBeUndefined();
    expect(checkSigner(valid)).toBe(valid);
  });

  it.each([
    ['null', null, 'sign(signingInput) method'],
    ['no sign method', { ...valid, sign: 'x' }, 'sign(signingInput) method'],
    [
      'an unsupported algorithm',
      { ...valid, algorithm: 'PS256' },
      '"algorithm"',
    ],
    ['no public JWK', { ...valid, publicJwk: undefined }, '"publicJwk"'],
    [
      'a JWK of another type',
      { ...valid, publicJwk: { ...valid.publicJwk, kty: 'RSA' } },
      'EC public JWK',
    ],
    [
      'a private JWK',
      { ...valid, publicJwk: { ...valid.publicJwk, d: 'secret-value' } },
      'private members',
    ],
    ['an empty kid', { ...valid, kid: '' }, '"kid"'],
    ['a kid unlike the JWK', { ...valid, kid: 'k2' }, '"publicJwk.kid"'],
  ])('refuses %s', (_, value, expected) => {
    const attempt = () => checkSigner(value);

    expect(attempt).toThrow(TypeError);
    expect(attempt).toThrow('option "signer"');
    expect(attempt).toThrow(expected);
  });

  it('never repeats a private member in its message', () => {
    const attempt = () =>
      checkSigner({
        ...valid,
        publicJwk: { ...valid.publicJwk, d: 'secret-value' },
      });

    expect(attempt).toThrow(
      expect.objectContaining({
        message: expect.not.stringContaining('secret-value'),
      }),
    );
  });
});
