import { createHash, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import express from 'express';
import {
  SignJWT,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
} from 'jose';
import type { CryptoKey, JWK } from 'jose';
import request from 'supertest';

import { authErrorHandler } from '@portcullis/core';

import { requireAuth } from '../src/require-auth.js';
import type { RequireAuthOptions } from '../src/require-auth.js';
import {
  AUDIENCE,
  ISSUER,
  createSigner,
  nowSeconds,
  validClaims,
} from './helpers/keys.js';
import type { TestSigner } from './helpers/keys.js';

interface ProofKey {
  privateKey: CryptoKey;
  jwk: JWK;
  jkt: string;
}

let signer: TestSigner;
let holder: ProofKey;
let thief: ProofKey;

async function proofKey(alg = 'ES256'): Promise<ProofKey> {
  const pair = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(pair.publicKey);
  return {
    privateKey: pair.privateKey,
    jwk,
    jkt: await calculateJwkThumbprint(jwk),
  };
}

beforeAll(async () => {
  signer = await createSigner('ES256');
  holder = await proofKey();
  thief = await proofKey();
});

interface Harness {
  base: string;
  reached: string[];
  close(): Promise<void>;
}

async function start(
  extra: Partial<RequireAuthOptions> = {},
): Promise<Harness> {
  const reached: string[] = [];
  const app = express();
  app.all(
    '/r',
    requireAuth({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwks: { keys: [signer.publicJwk] },
      algorithms: ['ES256'],
      dpop: {},
      ...extra,
    }),
    (req, res) => {
      reached.push(String(req.auth?.claims.sub));
      res.json({ ok: true });
    },
  );
  app.use(authErrorHandler());
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    reached,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function ath(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

async function proof(
  key: ProofKey,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
  alg = 'ES256',
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({
      alg,
      typ: 'dpop+jwt',
      jwk: key.jwk,
      ...header,
    } as never)
    .sign(key.privateKey);
}

async function boundToken(jkt = holder.jkt): Promise<string> {
  return signer.sign(validClaims({ cnf: { jkt } }));
}

async function send(
  h: Harness,
  token: string,
  proofs: string[],
  method: 'get' | 'post' = 'get',
  scheme = 'DPoP',
) {
  let req = request(h.base)
    [method]('/r')
    .set('Authorization', `${scheme} ${token}`);
  if (proofs.length > 0)
    req = req.set('DPoP', (proofs.length === 1 ? proofs[0] : proofs) as string);
  return req;
}

describe('requireAuth with dpop', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await start();
  });

  afterEach(async () => {
    await h.close();
  });

  function claimsFor(token: string, overrides: Record<string, unknown> = {}) {
    return {
      htm: 'GET',
      htu: `${h.base}/r`,
      iat: nowSeconds(),
      jti: randomUUID(),
      ath: ath(token),
      ...overrides,
    };
  }

  it('admits a bound token with a valid proof', async () => {
    const token = await boundToken();

    const res = await send(h, token, [await proof(holder, claimsFor(token))]);

    expect(res.status).toBe(200);
    expect(h.reached).toEqual(['user-1']);
  });

  it('ignores the query string when comparing htu', async () => {
    const token = await boundToken();
    const p = await proof(holder, claimsFor(token, { htu: `${h.base}/r?x=1` }));

    const res = await request(h.base)
      .get('/r?y=2')
      .set('Authorization', `DPoP ${token}`)
      .set('DPoP', p);

    expect(res.status).toBe(200);
  });

  it('refuses a replayed proof', async () => {
    const token = await boundToken();
    const p = await proof(holder, claimsFor(token));

    const first = await send(h, token, [p]);
    const second = await send(h, token, [p]);

    expect([first.status, second.status]).toEqual([200, 401]);
    expect(second.body.error).toBe('invalid_dpop_proof');
  });

  const bad: Array<[string, (token: string) => Promise<string[]>]> = [
    ['no proof', async () => []],
    [
      'two proofs',
      async (t) => [
        await proof(holder, claimsFor(t)),
        await proof(holder, claimsFor(t)),
      ],
    ],
    [
      'another method',
      async (t) => [await proof(holder, claimsFor(t, { htm: 'POST' }))],
    ],
    [
      'another path',
      async (t) => [
        await proof(holder, claimsFor(t, { htu: `${h.base}/other` })),
      ],
    ],
    [
      'another origin',
      async (t) => [
        await proof(holder, claimsFor(t, { htu: 'https://evil.example/r' })),
      ],
    ],
    [
      'an old iat',
      async (t) => [
        await proof(holder, claimsFor(t, { iat: nowSeconds() - 120 })),
      ],
    ],
    [
      'a future iat',
      async (t) => [
        await proof(holder, claimsFor(t, { iat: nowSeconds() + 120 })),
      ],
    ],
    [
      'a string iat',
      async (t) => [
        await proof(holder, claimsFor(t, { iat: String(nowSeconds()) })),
      ],
    ],
    [
      'no ath',
      async (t) => [await proof(holder, claimsFor(t, { ath: undefined }))],
    ],
    [
      'the ath of another token',
      async (t) => [await proof(holder, claimsFor(t, { ath: ath(`${t}x`) }))],
    ],
    [
      'no jti',
      async (t) => [await proof(holder, claimsFor(t, { jti: undefined }))],
    ],
    [
      'typ JWT',
      async (t) => [await proof(holder, claimsFor(t), { typ: 'JWT' })],
    ],
    [
      'a key that is not the bound one',
      async (t) => [await proof(thief, claimsFor(t))],
    ],
    [
      'a jwk header of another key than the signer',
      async (t) => [await proof(thief, claimsFor(t), { jwk: holder.jwk })],
    ],
    [
      'a private jwk',
      async (t) => [
        await proof(holder, claimsFor(t), {
          jwk: { ...(await exportJWK(holder.privateKey)) },
        }),
      ],
    ],
    [
      'a tampered signature',
      async (t) => {
        const p = await proof(holder, claimsFor(t));
        return [`${p.slice(0, -4)}${p.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`];
      },
    ],
    [
      'an unsigned proof',
      async (t) => {
        const enc = (v: unknown) =>
          Buffer.from(JSON.stringify(v)).toString('base64url');
        return [
          `${enc({ alg: 'none', typ: 'dpop+jwt', jwk: holder.jwk })}.${enc(claimsFor(t))}.`,
        ];
      },
    ],
  ];

  it.each(bad)('refuses %s with invalid_dpop_proof', async (_, make) => {
    const token = await boundToken();

    const res = await send(h, token, await make(token));

    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_dpop_proof');
    expect(res.headers['www-authenticate']).toMatch(
      /^DPoP error="invalid_dpop_proof", .*algs="ES256 EdDSA PS256 RS256"$/,
    );
    expect(h.reached).toEqual([]);
  });

  it('refuses a DPoP-bound token presented as a bearer token', async () => {
    const token = await boundToken();

    const res = await send(h, token, [], 'get', 'Bearer');

    expect(res.status).toBe(401);
    expect(h.reached).toEqual([]);
  });

  it('refuses an unbound token presented with the DPoP scheme', async () => {
    const token = await signer.sign(validClaims());

    const res = await send(h, token, [await proof(holder, claimsFor(token))]);

    expect(res.status).toBe(401);
  });

  it('still admits an unbound bearer token unless dpop.required', async () => {
    const token = await signer.sign(validClaims());
    const strict = await start({ dpop: { required: true } });
    try {
      const open = await send(h, token, [], 'get', 'Bearer');
      const closed = await send(strict, token, [], 'get', 'Bearer');

      expect([open.status, closed.status]).toEqual([200, 401]);
    } finally {
      await strict.close();
    }
  });

  it('fails closed with 503 when the replay store fails', async () => {
    const failing = await start({
      dpop: {
        replayStore: { markIfAbsent: () => Promise.reject(new Error('down')) },
      },
    });
    try {
      const token = await boundToken();
      const p = await proof(holder, {
        ...claimsFor(token),
        htu: `${failing.base}/r`,
      });

      const res = await send(failing, token, [p]);

      expect(res.status).toBe(503);
    } finally {
      await failing.close();
    }
  });

  it('treats the DPoP scheme as no credentials when dpop is off', async () => {
    const off = await start({ dpop: undefined });
    try {
      const token = await boundToken();
      const res = await send(off, token, [
        await proof(holder, { ...claimsFor(token), htu: `${off.base}/r` }),
      ]);

      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
    } finally {
      await off.close();
    }
  });

  describe('with server nonces', () => {
    it('asks for the nonce, then admits a proof that carries it', async () => {
      const strict = await start({ dpop: { nonce: true } });
      try {
        const token = await boundToken();
        const htu = `${strict.base}/r`;
        const first = await send(strict, token, [
          await proof(holder, { ...claimsFor(token), htu }),
        ]);
        const nonce = first.headers['dpop-nonce'] as string;
        const wrong = await send(strict, token, [
          await proof(holder, { ...claimsFor(token), htu, nonce: 'stale' }),
        ]);
        const second = await send(strict, token, [
          await proof(holder, { ...claimsFor(token), htu, nonce }),
        ]);

        expect(first.status).toBe(401);
        expect(first.body.error).toBe('use_dpop_nonce');
        expect(first.headers['www-authenticate']).toMatch(
          /^DPoP error="use_dpop_nonce"/,
        );
        expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
        expect([wrong.status, wrong.body.error]).toEqual([
          401,
          'use_dpop_nonce',
        ]);
        expect(second.status).toBe(200);
      } finally {
        await strict.close();
      }
    });

    it('never reveals the nonce to a proof that fails other checks', async () => {
      const strict = await start({ dpop: { nonce: true } });
      try {
        const token = await boundToken();
        const res = await send(strict, token, [
          await proof(thief, claimsFor(token)),
        ]);

        expect(res.headers['dpop-nonce']).toBeUndefined();
      } finally {
        await strict.close();
      }
    });
  });

  it.each([
    [{ algorithms: ['HS256'] }, 'dpop.algorithms'],
    [{ algorithms: [] }, 'dpop.algorithms'],
    [{ iatWindowSeconds: 0 }, 'dpop.iatWindowSeconds'],
    [{ replayStore: {} }, 'dpop.replayStore'],
    [{ nonce: 'x' }, 'dpop.nonce'],
    [{ nonce: { current: () => 'n' } }, 'dpop.nonce'],
  ])('refuses %j at startup', (dpop, path) => {
    expect(() =>
      requireAuth({
        issuer: ISSUER,
        audience: AUDIENCE,
        jwks: { keys: [] },
        algorithms: ['ES256'],
        dpop: dpop as never,
      }),
    ).toThrow(`option "${path}"`);
  });
});
