import express from 'express';
import type { RequestHandler } from 'express';
import request from 'supertest';

import { authErrorHandler, createAuditBus } from '@portcullis/core';
import type { AuditEvent } from '@portcullis/core';

import {
  requireAnyScope,
  requireClaim,
  requireScopes,
} from '../src/authorize.js';
import { requireAuth } from '../src/require-auth.js';
import type { RequireAuthOptions } from '../src/require-auth.js';
import { AUDIENCE, ISSUER, createSigner, validClaims } from './helpers/keys.js';
import type { TestSigner } from './helpers/keys.js';

let signer: TestSigner;

beforeAll(async () => {
  signer = await createSigner('ES256');
});

function app(guard: RequestHandler, extra: Partial<RequireAuthOptions> = {}) {
  const seen: string[] = [];
  const server = express();
  server.get(
    '/r',
    requireAuth({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwks: { keys: [signer.publicJwk] },
      algorithms: ['ES256'],
      ...extra,
    }),
    guard,
    (_req, res) => {
      seen.push('handler');
      res.json({ ok: true });
    },
  );
  server.use(authErrorHandler());
  return { server, seen };
}

async function call(
  guard: RequestHandler,
  claims: Record<string, unknown>,
  extra: Partial<RequireAuthOptions> = {},
) {
  const { server, seen } = app(guard, extra);
  const token = await signer.sign(validClaims(claims));
  const res = await request(server)
    .get('/r')
    .set('Authorization', `Bearer ${token}`);
  return { res, seen };
}

describe('requireScopes', () => {
  it('admits a token with every scope', async () => {
    const { res } = await call(requireScopes(['a', 'b']), { scope: 'b c a' });

    expect(res.status).toBe(200);
  });

  it.each([
    ['one scope missing', 'a c'],
    ['a superstring of a scope', 'ab b'],
    ['a prefix of a scope', 'a b:'],
    ['scopes joined by a comma', 'a,b'],
    ['no scope', ''],
  ])('refuses %s with 403 and the scope challenge', async (_, scope) => {
    const { res, seen } = await call(requireScopes(['a', 'b']), { scope });

    expect(res.status).toBe(403);
    expect(res.body.error).toBe('insufficient_scope');
    expect(res.headers['www-authenticate']).toBe(
      'Bearer error="insufficient_scope", ' +
        'error_description="the access token lacks a required privilege", ' +
        'scope="a b"',
    );
    expect(seen).toEqual([]);
  });

  it.each<[string, Partial<RequireAuthOptions>, Record<string, unknown>]>([
    [
      'scp as an array',
      { scopeClaims: ['scp'] },
      { scope: undefined, scp: ['a', 'b'] },
    ],
    [
      'scp as a string',
      { scopeClaims: ['scp'] },
      { scope: undefined, scp: 'a b' },
    ],
    [
      'permissions',
      { scopeClaims: ['permissions'] },
      { scope: undefined, permissions: ['b', 'a'] },
    ],
    [
      'scope and permissions together',
      { scopeClaims: ['scope', 'permissions'] },
      { scope: 'a', permissions: ['b'] },
    ],
  ])('reads %s when configured', async (_, extra, claims) => {
    const { res } = await call(requireScopes(['a', 'b']), claims, extra);

    expect(res.status).toBe(200);
  });

  it('ignores claims that are not configured as scope sources', async () => {
    const { res } = await call(requireScopes(['a']), {
      scope: undefined,
      scp: ['a'],
    });

    expect(res.status).toBe(403);
  });

  it('emits token.refused with the reason', async () => {
    const audit = createAuditBus();
    const events: AuditEvent[] = [];
    audit.on('token.refused', (event) => events.push(event));

    await call(requireScopes(['z'], { audit }), {});

    expect(events).toEqual([
      expect.objectContaining({
        reason: 'JWT_GUARD_SCOPE_MISSING',
        status: 403,
      }),
    ]);
  });

  it.each([[[]], [['a b']], [['a"b']], [[1]], ['a']])(
    'refuses %j at startup',
    (scopes) => {
      expect(() => requireScopes(scopes as never)).toThrow(TypeError);
    },
  );
});

describe('requireAnyScope', () => {
  it.each([
    ['a', 200],
    ['x b', 200],
    ['ab', 403],
    ['', 403],
  ])('answers scope %j with %i', async (scope, status) => {
    const { res } = await call(requireAnyScope(['a', 'b']), { scope });

    expect(res.status).toBe(status);
  });
});

describe('requireClaim', () => {
  it.each<[string, Parameters<typeof requireClaim>[1], unknown, number]>([
    ['an equal value', 'org_1', 'org_1', 200],
    ['another value', 'org_1', 'org_2', 403],
    ['a substring', 'org_1', 'org_10', 403],
    ['one of a list', ['x', 'y'], 'y', 200],
    ['an array claim with one match', 'admin', ['user', 'admin'], 200],
    ['an array claim without a match', 'admin', ['user'], 403],
    ['a predicate', (v: unknown) => v === 3, 3, 200],
    [
      'a throwing predicate',
      () => {
        throw new Error('x');
      },
      3,
      403,
    ],
    ['a missing claim', 'org_1', undefined, 403],
    ['a boolean', true, true, 200],
    ['a string against a boolean', true, 'true', 403],
  ])('answers %s', async (_, matcher, value, status) => {
    const { res } = await call(requireClaim('org', matcher), { org: value });

    expect(res.status).toBe(status);
    if (status === 403) {
      expect(res.headers['www-authenticate']).toBe(
        'Bearer error="insufficient_scope", ' +
          'error_description="the access token lacks a required privilege"',
      );
    }
  });

  it('refuses an empty name or matcher at startup', () => {
    expect(() => requireClaim('', 'x')).toThrow(TypeError);
    expect(() => requireClaim('x', [])).toThrow(TypeError);
  });
});

describe('guards without a verified token', () => {
  it('answer 401 with a bare challenge in optional mode', async () => {
    const { server, seen } = app(requireScopes(['a']), { optional: true });

    const res = await request(server).get('/r');

    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(seen).toEqual([]);
  });
});
