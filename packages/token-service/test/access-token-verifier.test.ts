import { SignJWT } from 'jose';
import type { JSONWebKeySet } from 'jose';

import { createOwnTokenVerifier } from '../src/access-token-verifier.js';
import type { VerificationKeys } from '../src/access-token-verifier.js';
import { loadSigningKey } from '../src/signing-key.js';
import type { SigningKey } from '../src/signing-key.js';
import { AUDIENCE, ISSUER } from './helpers/keys.js';

async function tokenFrom(key: SigningKey, claims = {}, typ = 'at+jwt') {
  return new SignJWT({ client_id: 'web', ...claims })
    .setProtectedHeader({ alg: key.algorithm, kid: key.publicJwk.kid, typ })
    .setIssuer(ISSUER)
    .setSubject('user-1')
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('1m')
    .setJti('jti-1')
    .sign(key.privateKey);
}

/** A ring whose refresh adds `later` to the published set. */
function ringOf(keys: SigningKey[], later?: SigningKey) {
  let jwks: JSONWebKeySet = { keys: keys.map((k) => k.publicJwk) };
  const refresh = jest.fn(async () => {
    if (later !== undefined) jwks = { keys: [...jwks.keys, later.publicJwk] };
  });
  const ring: VerificationKeys = {
    jwks: () => jwks,
    refresh,
  };
  return { ring, refresh };
}

describe('createOwnTokenVerifier', () => {
  let es: SigningKey;
  let rs: SigningKey;

  beforeAll(async () => {
    es = await loadSigningKey(undefined, 'ES256');
    rs = await loadSigningKey(undefined, 'RS256');
  });

  it('verifies tokens of every published key and algorithm', async () => {
    const { ring, refresh } = ringOf([es, rs]);
    const verify = createOwnTokenVerifier(ISSUER, ring);

    await expect(verify(await tokenFrom(es))).resolves.toMatchObject({
      sub: 'user-1',
    });
    await expect(verify(await tokenFrom(rs))).resolves.toMatchObject({
      jti: 'jti-1',
    });
    expect(refresh).not.toHaveBeenCalled();
  });

  it('re-reads the ring once for an unknown kid', async () => {
    const { ring, refresh } = ringOf([es], rs);
    const verify = createOwnTokenVerifier(ISSUER, ring);

    await expect(verify(await tokenFrom(rs))).resolves.toBeDefined();
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(refresh).toHaveBeenCalledWith(1000);
  });

  it('resolves undefined for a kid the ring still lacks', async () => {
    const { ring, refresh } = ringOf([es]);
    const verify = createOwnTokenVerifier(ISSUER, ring);

    await expect(verify(await tokenFrom(rs))).resolves.toBeUndefined();
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('answers 503 when that re-read fails', async () => {
    const { ring } = ringOf([es]);
    const verify = createOwnTokenVerifier(ISSUER, {
      ...ring,
      refresh: () => Promise.reject(new Error('store down')),
    });

    await expect(verify(await tokenFrom(rs))).rejects.toMatchObject({
      code: 'temporarily_unavailable',
      status: 503,
    });
  });

  it.each([
    ['another typ', () => tokenFrom(es, {}, 'JWT')],
    ['no client_id', () => tokenFrom(es, { client_id: undefined })],
    ['garbage', async () => 'not.a.token'],
  ])('resolves undefined for %s without re-reading', async (_, make) => {
    const { ring, refresh } = ringOf([es]);
    const verify = createOwnTokenVerifier(ISSUER, ring);

    await expect(verify(await make())).resolves.toBeUndefined();
    expect(refresh).not.toHaveBeenCalled();
  });
});
