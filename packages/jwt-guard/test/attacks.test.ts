/**
 * Tables of the public attack kinds on JWT resource servers, each run
 * through the Express middleware: the handler must never be reached.
 */

import { createHmac, createPublicKey } from 'node:crypto';

import { base64url, exportJWK } from 'jose';
import express from 'express';
import request from 'supertest';

import { authErrorHandler, createAuditBus } from '@portcullis/core';
import type { AuditEvent } from '@portcullis/core';

import { requireAuth } from '../src/require-auth.js';
import type { RequireAuthOptions } from '../src/require-auth.js';
import { startCountingServer } from './helpers/counting-server.js';
import type { CountingServer } from './helpers/counting-server.js';
import { startJwksServer } from './helpers/jwks-server.js';
import type { JwksServer } from './helpers/jwks-server.js';
import { AUDIENCE, ISSUER, createSigner, validClaims } from './helpers/keys.js';
import type { TestSigner } from './helpers/keys.js';
import { rawToken, signRaw } from './helpers/raw-token.js';

const NOW_SECONDS = 1_900_000_000;
const TOLERANCE_SECONDS = 5;

let rsa: TestSigner;
let ec: TestSigner;
let attacker: TestSigner;
let jwks: JwksServer;
let counting: CountingServer;

beforeAll(async () => {
  rsa = await createSigner('RS256');
  ec = await createSigner('ES256');
  attacker = await createSigner('ES256');
  jwks = await startJwksServer([rsa.publicJwk, ec.publicJwk]);
  counting = await startCountingServer(
    JSON.stringify({ keys: [attacker.publicJwk] }),
  );
});

afterAll(async () => {
  await jwks.close();
  await counting.close();
});

function build(extra: Partial<RequireAuthOptions> = {}) {
  const reasons: string[] = [];
  const audit = createAuditBus();
  audit.on('token.refused', (event: AuditEvent<'token.refused'>) => {
    reasons.push(event.reason);
  });
  const reached: string[] = [];
  const app = express();
  app.get(
    '/r',
    requireAuth({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUri: jwks.url,
      algorithms: ['RS256', 'ES256'],
      clockToleranceSeconds: TOLERANCE_SECONDS,
      clock: () => NOW_SECONDS * 1000,
      audit,
      ...extra,
    }),
    (_req, res) => {
      reached.push('handler');
      res.json({ ok: true });
    },
  );
  app.use(authErrorHandler());
  return { app, reached, reasons };
}

function claimsAt(overrides: Record<string, unknown> = {}) {
  return {
    ...validClaims(),
    iat: NOW_SECONDS - 10,
    exp: NOW_SECONDS + 300,
    ...overrides,
  };
}

async function send(token: string, extra?: Partial<RequireAuthOptions>) {
  const { app, reached, reasons } = build(extra);
  const res = await request(app)
    .get('/r')
    .set('Authorization', `Bearer ${token}`);
  return { res, reached, reasons };
}

describe('attack: unsigned tokens', () => {
  const signature = base64url.encode('not-a-signature');
  const cases: Array<[string, () => string]> = [];
  for (const alg of ['none', 'None', 'NONE', 'nOnE', 'NoNe']) {
    cases.push([
      `alg ${alg}, empty signature`,
      () => rawToken({ alg }, claimsAt()),
    ]);
    cases.push([
      `alg ${alg}, junk signature`,
      () => rawToken({ alg, kid: ec.kid }, claimsAt(), signature),
    ]);
  }

  cases.push([
    'alg ES256, empty signature',
    () => rawToken({ alg: 'ES256', kid: ec.kid }, claimsAt()),
  ]);
  cases.push([
    'alg RS256, empty signature',
    () => rawToken({ alg: 'RS256', kid: rsa.kid }, claimsAt()),
  ]);
  cases.push([
    'no alg at all',
    () => rawToken({ kid: ec.kid }, claimsAt(), signature),
  ]);
  cases.push([
    'alg as an array',
    () => rawToken({ alg: ['ES256'] }, claimsAt(), signature),
  ]);

  it.each(cases)('refuses %s', async (_, make) => {
    const { res, reached } = await send(make());

    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_token');
    expect(reached).toEqual([]);
  });

  it('refuses a valid ES256 token with its signature stripped', async () => {
    const token = await ec.sign(claimsAt());
    const stripped = `${token.slice(0, token.lastIndexOf('.'))}.`;

    const { res, reasons } = await send(stripped);

    expect(res.status).toBe(401);
    expect(reasons).toEqual(['JWT_GUARD_UNSIGNED']);
  });
});

describe('attack: RS256 public key used as an HMAC secret', () => {
  const key = () =>
    createPublicKey({ key: rsa.publicJwk as never, format: 'jwk' });
  const serialisations: Array<[string, () => Buffer]> = [
    [
      'SPKI PEM with trailing newline',
      () =>
        Buffer.from(key().export({ type: 'spki', format: 'pem' }) as string),
    ],
    [
      'SPKI PEM without trailing newline',
      () =>
        Buffer.from(
          (key().export({ type: 'spki', format: 'pem' }) as string).trimEnd(),
        ),
    ],
    [
      'PKCS#1 PEM',
      () =>
        Buffer.from(key().export({ type: 'pkcs1', format: 'pem' }) as string),
    ],
    [
      'PKCS#1 PEM without trailing newline',
      () =>
        Buffer.from(
          (key().export({ type: 'pkcs1', format: 'pem' }) as string).trimEnd(),
        ),
    ],
    ['SPKI DER', () => key().export({ type: 'spki', format: 'der' })],
    ['PKCS#1 DER', () => key().export({ type: 'pkcs1', format: 'der' })],
    ['JWK JSON as published', () => Buffer.from(JSON.stringify(rsa.publicJwk))],
    [
      'JWK JSON of n and e only',
      () =>
        Buffer.from(
          JSON.stringify({
            kty: 'RSA',
            n: rsa.publicJwk.n,
            e: rsa.publicJwk.e,
          }),
        ),
    ],
    [
      'base64 of the DER',
      () =>
        Buffer.from(
          key().export({ type: 'spki', format: 'der' }).toString('base64'),
        ),
    ],
    [
      'the raw modulus',
      () => Buffer.from(rsa.publicJwk.n as string, 'base64url'),
    ],
  ];
  const cases = serialisations.flatMap(([name, secret]) =>
    ['HS256', 'HS384', 'HS512', 'hs256'].map(
      (alg) => [`${alg} keyed with ${name}`, alg, secret] as const,
    ),
  );

  it.each(cases)('refuses %s', async (_, alg, secret) => {
    const header = { alg, kid: rsa.kid, typ: 'JWT' };
    const unsigned = rawToken(header, claimsAt());
    const input = unsigned.slice(0, -1);
    const hash = `sha${alg.slice(2)}`;
    const mac = createHmac(hash, secret()).update(input).digest('base64url');

    const { res, reached, reasons } = await send(`${input}.${mac}`);

    expect(res.status).toBe(401);
    expect(reached).toEqual([]);
    expect(reasons).toEqual(['JWT_GUARD_ALG_NOT_ALLOWED']);
  });
});

describe('attack: keys supplied or named by the header', () => {
  const cases: Array<[string, () => Promise<Record<string, unknown>>]> = [
    [
      'jwk with the attacker key',
      async () => ({ jwk: await exportJWK(attacker.publicKey) }),
    ],
    [
      'jwk and the kid of a trusted key',
      async () => ({ jwk: await exportJWK(attacker.publicKey), kid: ec.kid }),
    ],
    [
      'jku to the attacker set',
      async () => ({ jku: `${counting.url}/jwks.json` }),
    ],
    [
      'jku and the kid of a trusted key',
      async () => ({ jku: `${counting.url}/jwks.json`, kid: ec.kid }),
    ],
    ['x5u to the attacker', async () => ({ x5u: `${counting.url}/cert.pem` })],
    [
      'x5c with the attacker key',
      async () => ({
        x5c: [
          createPublicKey({ key: attacker.publicJwk as never, format: 'jwk' })
            .export({ type: 'spki', format: 'der' })
            .toString('base64'),
        ],
      }),
    ],
  ];

  it.each(cases)('refuses %s with zero outbound fetches', async (_, extra) => {
    const before = counting.requests();
    const header = { alg: 'ES256', kid: attacker.kid, ...(await extra()) };
    const token = await signRaw(header, claimsAt(), attacker.privateKey);

    const { res, reached } = await send(token);

    expect(res.status).toBe(401);
    expect(reached).toEqual([]);
    expect(counting.requests()).toBe(before);
  });
});

describe('attack: time claims', () => {
  it.each<[string, Record<string, unknown>, string]>([
    [
      'exp as a numeric string',
      { exp: String(NOW_SECONDS + 300) },
      'JWT_GUARD_CLAIM_INVALID',
    ],
    [
      'exp as an ISO date',
      { exp: '2099-01-01T00:00:00Z' },
      'JWT_GUARD_CLAIM_INVALID',
    ],
    [
      'nbf as a string',
      { nbf: String(NOW_SECONDS - 100) },
      'JWT_GUARD_CLAIM_INVALID',
    ],
    [
      'iat as a string',
      { iat: String(NOW_SECONDS) },
      'JWT_GUARD_CLAIM_INVALID',
    ],
    ['exp as null', { exp: null }, 'JWT_GUARD_CLAIM_INVALID'],
    ['missing exp', { exp: undefined }, 'JWT_GUARD_CLAIM_MISSING'],
    [
      'exp exactly at now - tolerance',
      { exp: NOW_SECONDS - TOLERANCE_SECONDS },
      'JWT_GUARD_EXPIRED',
    ],
    [
      'nbf one second past now + tolerance',
      { nbf: NOW_SECONDS + TOLERANCE_SECONDS + 1 },
      'JWT_GUARD_NOT_YET_VALID',
    ],
    [
      'iat one second past now + tolerance',
      { iat: NOW_SECONDS + TOLERANCE_SECONDS + 1 },
      'JWT_GUARD_ISSUED_IN_FUTURE',
    ],
  ])('refuses %s', async (_, overrides, reason) => {
    const token = await signRaw(
      { alg: 'ES256', kid: ec.kid },
      claimsAt(overrides),
      ec.privateKey,
    );

    const { res, reached, reasons } = await send(token);

    expect(res.status).toBe(401);
    expect(reached).toEqual([]);
    expect(reasons).toEqual([reason]);
  });

  it.each<[string, Record<string, unknown>]>([
    [
      'exp one second inside the tolerance',
      { exp: NOW_SECONDS - TOLERANCE_SECONDS + 1 },
    ],
    [
      'nbf exactly at now + tolerance',
      { nbf: NOW_SECONDS + TOLERANCE_SECONDS },
    ],
    [
      'iat exactly at now + tolerance',
      { iat: NOW_SECONDS + TOLERANCE_SECONDS },
    ],
  ])('admits %s', async (_, overrides) => {
    const token = await signRaw(
      { alg: 'ES256', kid: ec.kid },
      claimsAt(overrides),
      ec.privateKey,
    );

    const { res, reached } = await send(token);

    expect(res.status).toBe(200);
    expect(reached).toEqual(['handler']);
  });

  it('says "expired" on the wire for an expired token only', async () => {
    const expired = await ec.sign(claimsAt({ exp: NOW_SECONDS - 100 }));
    const badAud = await ec.sign(claimsAt({ aud: 'other' }));

    const a = await send(expired);
    const b = await send(badAud);

    expect(a.res.body.error_description).toBe('the access token has expired');
    expect(b.res.body.error_description).toBe('the access token is invalid');
  });
});
