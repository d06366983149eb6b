import { SignJWT, exportSPKI } from 'jose';
import request from 'supertest';

import { createAuditBus } from '@portcullis/core';
import type { AuditEvent, Logger } from '@portcullis/core';

import { buildGuardedApp } from './helpers/app.js';
import { startJwksServer, unusedLoopbackUrl } from './helpers/jwks-server.js';
import type { JwksServer } from './helpers/jwks-server.js';
import {
  AUDIENCE,
  ISSUER,
  createSigner,
  nowSeconds,
  tamperSignature,
  unsecuredToken,
  validClaims,
} from './helpers/keys.js';
import type { TestSigner } from './helpers/keys.js';
import type { RequireAuthOptions } from '../src/require-auth.js';
import { requireAuth } from '../src/require-auth.js';

const INVALID_TOKEN_CHALLENGE =
  /^Bearer error="invalid_token", error_description="[^"\\]+"$/;

let signer: TestSigner;
let rsaSigner: TestSigner;
let stranger: TestSigner;
let server: JwksServer;

beforeAll(async () => {
  signer = await createSigner('ES256');
  rsaSigner = await createSigner('RS256');
  stranger = await createSigner('ES256');
  server = await startJwksServer([signer.publicJwk, rsaSigner.publicJwk]);
});

afterAll(async () => {
  await server.close();
});

function guardOptions(
  overrides: Partial<RequireAuthOptions> = {},
): RequireAuthOptions {
  return {
    issuer: ISSUER,
    audience: AUDIENCE,
    jwksUri: server.url,
    algorithms: ['ES256'],
    ...overrides,
  };
}

function bearer(token: string): [string, string] {
  return ['Authorization', `Bearer ${token}`];
}

describe('requireAuth', () => {
  describe('when the token is valid', () => {
    it('reaches the handler with req.auth set', async () => {
      const { app, seen } = buildGuardedApp(guardOptions());
      const token = await signer.sign();

      const res = await request(app)
        .get('/protected')
        .set(...bearer(token));

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        subject: 'user-1',
        scopes: ['read:items', 'write:items'],
      });
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({
        token,
        header: { alg: 'ES256', kid: signer.kid, typ: 'at+jwt' },
        claims: { iss: ISSUER, aud: AUDIENCE, sub: 'user-1' },
      });
      expect(Object.isFrozen(seen[0])).toBe(true);
    });

    it('accepts the scheme in any letter case', async () => {
      const { app } = buildGuardedApp(guardOptions());
      const token = await signer.sign();

      const res = await request(app)
        .get('/protected')
        .set('Authorization', `bEaReR ${token}`);

      expect(res.status).toBe(200);
    });

    it('accepts one of several audiences', async () => {
      const audience = ['https://other.example.com', AUDIENCE];
      const { app } = buildGuardedApp(guardOptions({ audience }));
      const token = await signer.sign();

      const res = await request(app)
        .get('/protected')
        .set(...bearer(token));

      expect(res.status).toBe(200);
    });

    it('accepts a token expired within the clock tolerance', async () => {
      const { app } = buildGuardedApp(guardOptions());
      const now = nowSeconds();
      const token = await signer.sign(
        validClaims({ iat: now - 300, exp: now - 2 }),
      );

      const res = await request(app)
        .get('/protected')
        .set(...bearer(token));

      expect(res.status).toBe(200);
    });

    it.each(['RS256', 'PS256', 'ES384', 'EdDSA'])(
      'verifies a %s token when the algorithm is allowed',
      async (alg) => {
        const other = await createSigner(alg);
        const jwks = await startJwksServer([other.publicJwk]);
        try {
          const { app } = buildGuardedApp(
            guardOptions({ jwksUri: jwks.url, algorithms: [alg] }),
          );
          const token = await other.sign();

          const res = await request(app)
            .get('/protected')
            .set(...bearer(token));

          expect(res.status).toBe(200);
        } finally {
          await jwks.close();
        }
      },
    );
  });

  describe('when the token is invalid', () => {
    const now = nowSeconds();
    const cases: Array<[string, () => Promise<string>]> = [
      [
        'a tampered signature',
        async () => tamperSignature(await signer.sign()),
      ],
      [
        'an expired token',
        () => signer.sign(validClaims({ iat: now - 600, exp: now - 60 })),
      ],
      [
        'a wrong audience',
        () => signer.sign(validClaims({ aud: 'https://other.example.com' })),
      ],
      [
        'a wrong issuer',
        () => signer.sign(validClaims({ iss: 'https://evil.example.com' })),
      ],
      [
        'an issuer that differs by a trailing slash',
        () => signer.sign(validClaims({ iss: `${ISSUER}/` })),
      ],
      [
        'a token issued in the future beyond the tolerance',
        () => signer.sign(validClaims({ iat: now + 3600, exp: now + 7200 })),
      ],
      ['an unsigned alg none token', async () => unsecuredToken()],
      ['a key that is not in the JWKS', () => stranger.sign()],
      [
        'a token without kid signed by a key not in the JWKS',
        () =>
          new SignJWT(validClaims())
            .setProtectedHeader({ alg: 'ES256' })
            .sign(stranger.privateKey),
      ],
      [
        'an HS256 token keyed with the public key bytes',
        async () => {
          const pem = await exportSPKI(signer.publicKey);
          return new SignJWT(validClaims())
            .setProtectedHeader({ alg: 'HS256', kid: signer.kid })
            .sign(new TextEncoder().encode(pem));
        },
      ],
      ['an algorithm outside the allowlist', () => rsaSigner.sign()],
      [
        'a token without exp',
        () => signer.sign(validClaims({ exp: undefined })),
      ],
      [
        'a token not yet valid',
        () => signer.sign(validClaims({ nbf: now + 600 })),
      ],
      [
        'an unknown critical header',
        () =>
          new SignJWT(validClaims())
            .setProtectedHeader({
              alg: 'ES256',
              kid: signer.kid,
              crit: ['x-unknown'],
              'x-unknown': true,
            })
            .sign(signer.privateKey, { crit: { 'x-unknown': true } }),
      ],
      ['a token that is not a JWS', async () => 'abc.def.ghi'],
      ['a token with two segments', async () => 'abc.def'],
    ];

    it.each(cases)('rejects %s with 401 invalid_token', async (_, make) => {
      const { app, seen } = buildGuardedApp(guardOptions());
      const token = await make();

      const res = await request(app)
        .get('/protected')
        .set(...bearer(token));

      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_token');
      expect(res.headers['www-authenticate']).toMatch(INVALID_TOKEN_CHALLENGE);
      expect(res.text).not.toContain(token);
      expect(res.headers['www-authenticate']).not.toContain(token);
      expect(res.text).not.toMatch(/at .+\(.+:\d+:\d+\)|stack/);
      expect(seen).toHaveLength(0);
    });

    it('says that an expired token has expired', async () => {
      const { app } = buildGuardedApp(guardOptions());
      const token = await signer.sign(
        validClaims({ iat: now - 600, exp: now - 60 }),
      );

      const res = await request(app)
        .get('/protected')
        .set(...bearer(token));

      expect(res.body.error_description).toBe('the access token has expired');
    });

    it('gives the same description for every other failure', async () => {
      const { app } = buildGuardedApp(guardOptions());
      const tokens = [
        await stranger.sign(),
        await signer.sign(validClaims({ aud: 'https://other.example.com' })),
        unsecuredToken(),
      ];

      const descriptions = new Set<string>();
      for (const token of tokens) {
        const res = await request(app)
          .get('/protected')
          .set(...bearer(token));
        descriptions.add(res.body.error_description);
      }

      expect([...descriptions]).toEqual(['the access token is invalid']);
    });

    it('rejects a token expired beyond a zero clock tolerance', async () => {
      const { app } = buildGuardedApp(
        guardOptions({ clockToleranceSeconds: 0 }),
      );
      const token = await signer.sign(
        validClaims({ iat: now - 300, exp: nowSeconds() - 2 }),
      );

      const res = await request(app)
        .get('/protected')
        .set(...bearer(token));

      expect(res.status).toBe(401);
    });
  });

  describe('when requiredType is set', () => {
    it.each([['at+jwt'], ['application/at+jwt'], ['AT+JWT']])(
      'admits a token whose typ is %s',
      async (typ) => {
        const { app } = buildGuardedApp(
          guardOptions({ requiredType: 'at+jwt' }),
        );
        const token = await signer.sign(validClaims(), { typ });
        const res = await request(app)
          .get('/protected')
          .set(...bearer(token));

        expect(res.status).toBe(200);
      },
    );

    it.each([['JWT'], ['logout+jwt'], [undefined]])(
      'rejects a token whose typ is %p with 401 invalid_token',
      async (typ) => {
        const { app, seen } = buildGuardedApp(
          guardOptions({ requiredType: 'at+jwt' }),
        );
        const token = await signer.sign(validClaims(), { typ });
        const res = await request(app)
          .get('/protected')
          .set(...bearer(token));

        expect(res.status).toBe(401);
        expect(res.body.error).toBe('invalid_token');
        expect(seen).toHaveLength(0);
      },
    );
  });

  describe('when the request carries no bearer token', () => {
    it.each([
      ['no Authorization header', undefined],
      ['an empty Authorization header', ''],
      ['another scheme', 'Basic dXNlcjpwYXNz'],
    ])('answers %s with a bare Bearer challenge', async (_, header) => {
      const { app, seen } = buildGuardedApp(guardOptions());
      const req = request(app).get('/protected');
      if (header !== undefined) req.set('Authorization', header);

      const res = await req;

      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(seen).toHaveLength(0);
    });
  });

  describe('when the Authorization header is malformed', () => {
    it.each([
      ['a scheme without a token', 'Bearer'],
      ['two tokens', 'Bearer abc def'],
      ['characters outside b64token', 'Bearer abc$def'],
      ['a tab separator', 'Bearer\tabc'],
      ['padding in the middle', 'Bearer ab=c'],
    ])('answers %s with 400 invalid_request', async (_, header) => {
      const { app, seen } = buildGuardedApp(guardOptions());

      const res = await request(app)
        .get('/protected')
        .set('Authorization', header);

      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
      expect(res.headers['www-authenticate']).toMatch(
        /^Bearer error="invalid_request", error_description="[^"]+"$/,
      );
      expect(seen).toHaveLength(0);
    });
  });

  describe('when the token is larger than maxTokenBytes', () => {
    it('rejects it with 401 invalid_token before verifying', async () => {
      const { app, seen } = buildGuardedApp(
        guardOptions({ maxTokenBytes: 64 }),
      );
      const token = await signer.sign();

      const res = await request(app)
        .get('/protected')
        .set(...bearer(token));

      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_token');
      expect(res.headers['www-authenticate']).toMatch(INVALID_TOKEN_CHALLENGE);
      expect(seen).toHaveLength(0);
    });
  });

  describe('when the JWKS endpoint fails', () => {
    it('answers 503 when nothing listens on the JWKS URI', async () => {
      const jwksUri = await unusedLoopbackUrl();
      const { app, seen } = buildGuardedApp(guardOptions({ jwksUri }));
      const token = await signer.sign();

      const res = await request(app)
        .get('/protected')
        .set(...bearer(token));

      expect(res.status).toBe(503);
      expect(res.body.error).toBe('temporarily_unavailable');
      expect(res.text).not.toContain(token);
      expect(seen).toHaveLength(0);
    });

    it.each([
      ['answers 500', 'error'],
      ['answers invalid JSON', 'garbage'],
    ] as const)('answers 503 when the endpoint %s', async (_, mode) => {
      const jwks = await startJwksServer([signer.publicJwk]);
      jwks.setMode(mode);
      try {
        const { app } = buildGuardedApp(guardOptions({ jwksUri: jwks.url }));
        const token = await signer.sign();

        const res = await request(app)
          .get('/protected')
          .set(...bearer(token));

        expect(res.status).toBe(503);
        expect(res.body.error).toBe('temporarily_unavailable');
      } finally {
        await jwks.close();
      }
    });

    it('answers 503 when the endpoint does not answer in time', async () => {
      const jwks = await startJwksServer([signer.publicJwk]);
      jwks.setMode('hang');
      try {
        const { app } = buildGuardedApp(guardOptions({ jwksUri: jwks.url }));
        const token = await signer.sign();

        const res = await request(app)
          .get('/protected')
          .set(...bearer(token));

        expect(res.status).toBe(503);
      } finally {
        await jwks.close();
      }
    });

    it('recovers once the endpoint answers again', async () => {
      const jwks = await startJwksServer([signer.publicJwk]);
      jwks.setMode('error');
      try {
        const { app } = buildGuardedApp(
          guardOptions({ jwksUri: jwks.url, jwksCooldownSeconds: 0 }),
        );
        const token = await signer.sign();
        const first = await request(app)
          .get('/protected')
          .set(...bearer(token));

        jwks.setMode('serve');
        const second = await request(app)
          .get('/protected')
          .set(...bearer(token));

        expect([first.status, second.status]).toEqual([503, 200]);
      } finally {
        await jwks.close();
      }
    });
  });

  describe('when isRevoked is set', () => {
    it('passes the verified claims and admits a token it clears', async () => {
      const isRevoked = jest.fn().mockResolvedValue(false);
      const { app } = buildGuardedApp(guardOptions({ isRevoked }));
      const token = await signer.sign();

      const res = await request(app)
        .get('/protected')
        .set(...bearer(token));

      expect(res.status).toBe(200);
      expect(isRevoked).toHaveBeenCalledWith(
        expect.objectContaining({ sub: 'user-1', iss: ISSUER }),
      );
    });

    it.each([
      ['returns true', () => true, 401, 'invalid_token'],
      ['resolves true', async () => true, 401, 'invalid_token'],
      [
        'throws',
        () => {
          throw new Error('store down');
        },
        503,
        'temporarily_unavailable',
      ],
      [
        'rejects',
        () => Promise.reject(new Error('store down')),
        503,
        'temporarily_unavailable',
      ],
      ['returns a non-boolean', () => 'no' as never, 500, 'server_error'],
    ])('refuses the request when it %s', async (_, isRevoked, status, code) => {
      const { app, seen } = buildGuardedApp(guardOptions({ isRevoked }));
      const token = await signer.sign();

      const res = await request(app)
        .get('/protected')
        .set(...bearer(token));

      expect(res.status).toBe(status);
      expect(res.body.error).toBe(code);
      expect(res.text).not.toContain('store down');
      expect(seen).toHaveLength(0);
    });

    it('is not called for a token that fails verification', async () => {
      const isRevoked = jest.fn().mockReturnValue(false);
      const { app } = buildGuardedApp(guardOptions({ isRevoked }));

      await request(app)
        .get('/protected')
        .set(...bearer(await stranger.sign()));

      expect(isRevoked).not.toHaveBeenCalled();
    });
  });

  describe('when an audit bus and a logger are given', () => {
    function recordingLogger(lines: unknown[]): Logger {
      const record = (...args: unknown[]) => {
        lines.push(args);
      };
      return { debug: record, info: record, warn: record, error: record };
    }

    it('emits token.refused with the reason and token.rejected with the code', async () => {
      const audit = createAuditBus();
      const events: AuditEvent[] = [];
      audit.onAny((event) => events.push(event));
      const { app } = buildGuardedApp(guardOptions({ audit }));

      await request(app)
        .get('/protected')
        .set(...bearer(await stranger.sign()));
      await request(app).get('/protected').set('Authorization', 'Bearer');

      expect(events).toEqual([
        expect.objectContaining({
          type: 'token.refused',
          code: 'invalid_token',
          reason: 'JWT_GUARD_KID_UNKNOWN',
          status: 401,
        }),
        expect.objectContaining({
          type: 'token.rejected',
          code: 'invalid_token',
        }),
        expect.objectContaining({
          type: 'token.refused',
          code: 'invalid_request',
          reason: 'JWT_GUARD_MALFORMED_HEADER',
        }),
        expect.objectContaining({
          type: 'token.rejected',
          code: 'invalid_request',
        }),
      ]);
    });

    it('emits only token.refused for a request without credentials', async () => {
      const audit = createAuditBus();
      const events: AuditEvent[] = [];
      audit.onAny((event) => events.push(event));
      const { app } = buildGuardedApp(guardOptions({ audit }));

      await request(app).get('/protected');

      expect(events).toEqual([
        expect.objectContaining({
          type: 'token.refused',
          reason: 'JWT_GUARD_NO_TOKEN',
          status: 401,
        }),
      ]);
    });

    it('emits token.accepted with the issuer and subject', async () => {
      const audit = createAuditBus();
      const events: AuditEvent[] = [];
      audit.onAny((event) => events.push(event));
      const { app } = buildGuardedApp(guardOptions({ audit }));

      await request(app)
        .get('/protected')
        .set(...bearer(await signer.sign()));

      expect(events).toEqual([
        expect.objectContaining({
          type: 'token.accepted',
          reason: 'JWT_GUARD_OK',
          issuer: ISSUER,
          subject: 'user-1',
        }),
      ]);
    });

    it('never writes the token to the log', async () => {
      const lines: unknown[] = [];
      const logger = recordingLogger(lines);
      const { app } = buildGuardedApp(guardOptions({ logger }));
      const token = await stranger.sign();

      await request(app)
        .get('/protected')
        .set(...bearer(token));

      expect(lines.length).toBeGreaterThan(0);
      expect(JSON.stringify(lines)).not.toContain(token);
    });

    it('warns once at startup about a plain http issuer', () => {
      const lines: unknown[] = [];
      const logger = recordingLogger(lines);

      buildGuardedApp(
        guardOptions({ issuer: 'http://127.0.0.1:4000', logger }),
      );

      expect(lines).toEqual([
        [expect.stringContaining('plain http'), expect.any(Object)],
      ]);
    });

    it.each<[string, (s: TestSigner) => object[]]>([
      ['no key', () => []],
      ['only a private key', (s) => [{ ...s.publicJwk, d: 'AAAA' }]],
    ])('warns at startup about a static JWKS with %s', (_name, keysOf) => {
      const keys = keysOf(signer) as never[];
      const lines: unknown[] = [];
      const logger = recordingLogger(lines);

      buildGuardedApp(
        guardOptions({ jwksUri: undefined, jwks: { keys }, logger }),
      );

      expect(lines).toContainEqual([
        expect.stringContaining('no usable public key'),
        { issuer: ISSUER },
      ]);
    });

    it('warns at startup about a clock tolerance over five minutes', () => {
      const lines: unknown[] = [];
      const logger = recordingLogger(lines);

      buildGuardedApp(guardOptions({ clockToleranceSeconds: 3600, logger }));

      expect(lines).toContainEqual([
        expect.stringContaining('clock tolerance'),
        { clockToleranceSeconds: 3600 },
      ]);
    });
  });

  it('returns a named middleware function', () => {
    const middleware = requireAuth(guardOptions());

    expect(middleware.name).toBe('portcullisRequireAuth');
  });
});
