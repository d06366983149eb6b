import { generateKeyPairSync } from 'node:crypto';

import { calculateJwkThumbprint } from 'jose';
import type { JWK } from 'jose';
import jwt from 'jsonwebtoken';
import request from 'supertest';

import { buildGuardedApp } from './helpers/app.js';
import { startJwksServer } from './helpers/jwks-server.js';
import type { JwksServer } from './helpers/jwks-server.js';
import { AUDIENCE, ISSUER } from './helpers/keys.js';

let server: JwksServer;
let privatePem: string;
let publicPem: string;
let kid: string;

beforeAll(async () => {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  privatePem = pair.privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  }) as string;
  publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const publicJwk = pair.publicKey.export({ format: 'jwk' }) as JWK;
  kid = await calculateJwkThumbprint(publicJwk);
  server = await startJwksServer([
    { ...publicJwk, kid, alg: 'ES256', use: 'sig' },
  ]);
});

afterAll(async () => {
  await server.close();
});

describe('requireAuth with tokens from jsonwebtoken', () => {
  it('admits an ES256 token signed with a PEM private key', async () => {
    const token = jwt.sign({ scope: 'read:items' }, privatePem, {
      algorithm: 'ES256',
      keyid: kid,
      issuer: ISSUER,
      audience: AUDIENCE,
      subject: 'user-1',
      expiresIn: 300,
    });
    const { app, seen } = buildGuardedApp({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUri: server.url,
      algorithms: ['ES256'],
    });

    const res = await request(app)
      .get('/protected')
      .set('Authorization', `Bearer ${token}`);

    expect(res.status).toBe(200);
    expect(seen[0]?.scopes).toEqual(['read:items']);
    expect(seen[0]?.header).toMatchObject({ alg: 'ES256', kid });
  });

  it('rejects an HS256 token keyed with the public PEM', async () => {
    const token = jwt.sign({ sub: 'user-1' }, publicPem, {
      algorithm: 'HS256',
      keyid: kid,
      issuer: ISSUER,
      audience: AUDIENCE,
      expiresIn: 300,
    });
    const { app, seen } = buildGuardedApp({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUri: server.url,
      algorithms: ['ES256'],
    });

    const res = await request(app)
      .get('/protected')
      .set('Authorization', `Bearer ${token}`);

    expect(res.status).toBe(401);
    expect(seen).toHaveLength(0);
  });
});

describe('createVerifier with tokens from jsonwebtoken and jose', () => {
  const libraries: Array<[string, string]> = [
    ['jsonwebtoken', 'RS256'],
    ['jsonwebtoken', 'PS256'],
    ['jsonwebtoken', 'ES384'],
    ['jose', 'RS512'],
    ['jose', 'PS384'],
    ['jose', 'ES512'],
    ['jose', 'EdDSA'],
  ];

  async function keyFor(alg: string) {
    const { generateKeyPair, exportJWK, exportPKCS8, SignJWT } =
      await import('jose');
    const pair = await generateKeyPair(alg, { extractable: true });
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: `k-${alg}` };
    return {
      jwk,
      signJose: (claims: Record<string, unknown>) =>
        new SignJWT(claims)
          .setProtectedHeader({ alg, kid: jwk.kid })
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(pair.privateKey),
      pem: await exportPKCS8(pair.privateKey),
    };
  }

  function flipByte(token: string, part: number): string {
    const parts = token.split('.');
    const bytes = Buffer.from(parts[part] as string, 'base64url');
    const at = Math.floor(bytes.length / 3);
    bytes[at] = (bytes[at] as number) ^ 0x20;
    parts[part] = bytes.toString('base64url');
    return parts.join('.');
  }

  it.each(libraries)(
    'verifies a %s %s token, and refuses it with one byte changed',
    async (library, alg) => {
      const { createVerifier } = await import('../src/verifier.js');
      const key = await keyFor(alg);
      const token =
        library === 'jose'
          ? await key.signJose({ sub: 'user-1' })
          : jwt.sign({ sub: 'user-1' }, key.pem, {
              algorithm: alg as jwt.Algorithm,
              keyid: key.jwk.kid,
              issuer: ISSUER,
              audience: AUDIENCE,
              expiresIn: 300,
            });
      const verifier = createVerifier({
        issuer: ISSUER,
        audience: AUDIENCE,
        jwks: { keys: [key.jwk] },
        algorithms: [alg],
      });

      await expect(verifier.verify(token)).resolves.toMatchObject({
        claims: { sub: 'user-1' },
      });
      for (const part of [0, 1, 2]) {
        await expect(
          verifier.verify(flipByte(token, part)),
        ).rejects.toMatchObject({
          status: 401,
        });
      }
    },
  );
});
