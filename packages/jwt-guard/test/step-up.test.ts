import express from 'express';
import type { RequestHandler } from 'express';
import request from 'supertest';

import { authErrorHandler } from '@portcullis/core';

import { requireAuth } from '../src/require-auth.js';
import { requireAuthLevel } from '../src/step-up.js';
import {
  AUDIENCE,
  ISSUER,
  createSigner,
  nowSeconds,
  validClaims,
} from './helpers/keys.js';
import type { TestSigner } from './helpers/keys.js';

let signer: TestSigner;

beforeAll(async () => {
  signer = await createSigner('ES256');
});

async function call(guard: RequestHandler, claims: Record<string, unknown>) {
  const server = express();
  server.get(
    '/r',
    requireAuth({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwks: { keys: [signer.publicJwk] },
      algorithms: ['ES256'],
    }),
    guard,
    (_req, res) => res.json({ ok: true }),
  );
  server.use(authErrorHandler());
  const token = await signer.sign(validClaims(claims));
  return request(server).get('/r').set('Authorization', `Bearer ${token}`);
}

describe('requireAuthLevel', () => {
  const now = nowSeconds();

  it.each<[string, Record<string, unknown>, number]>([
    [
      'an accepted acr and a recent auth_time',
      { acr: 'mfa', auth_time: now - 10 },
      200,
    ],
    ['another acr', { acr: 'pwd', auth_time: now - 10 }, 401],
    ['no acr', { auth_time: now - 10 }, 401],
    ['an auth_time at the limit', { acr: 'mfa', auth_time: now - 300 }, 200],
    ['an auth_time too old', { acr: 'mfa', auth_time: now - 302 }, 401],
    ['a string auth_time', { acr: 'mfa', auth_time: String(now) }, 401],
    ['no auth_time', { acr: 'mfa' }, 401],
  ])('answers %s with %i', async (_, claims, status) => {
    const guard = requireAuthLevel({
      acrValues: ['mfa', 'hwk'],
      maxAgeSeconds: 300,
      clock: () => now * 1000,
    });

    const res = await call(guard, claims);

    expect(res.status).toBe(status);
    if (status === 401) {
      expect(res.body).toEqual({
        error: 'insufficient_user_authentication',
        error_description:
          'a stronger or more recent authentication is required',
      });
      expect(res.headers['www-authenticate']).toBe(
        'Bearer error="insufficient_user_authentication", ' +
          'error_description="a stronger or more recent authentication is required", ' +
          'acr_values="mfa hwk", ' +
          'max_age=300',
      );
    }
  });

  it('checks only the age when no acr is asked for', async () => {
    const guard = requireAuthLevel({ maxAgeSeconds: 60 });

    const res = await call(guard, { auth_time: nowSeconds() - 3600 });

    expect(res.headers['www-authenticate']).toBe(
      'Bearer error="insufficient_user_authentication", ' +
        'error_description="a stronger or more recent authentication is required", ' +
        'max_age=60',
    );
  });

  it.each([
    [{}],
    [{ acrValues: [] }],
    [{ acrValues: [''] }],
    [{ maxAgeSeconds: -1 }],
    [{ maxAgeSeconds: 1.5 }],
  ])('refuses %j at startup', (options) => {
    expect(() => requireAuthLevel(options as never)).toThrow(TypeError);
  });
});
