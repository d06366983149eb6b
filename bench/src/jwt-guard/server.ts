/**
 * Benchmark server, run as a child process: one Express 5 route,
 * `GET /api/me`, unguarded or behind one guard, on 127.0.0.1 and a free
 * port. Prints `JWT_GUARD_BENCH_READY {"port":N}` once listening.
 *
 * Environment: BENCH_GUARD (a {@link Guard}), BENCH_ALG, BENCH_ISSUER,
 * BENCH_JWKS_URI, BENCH_AUDIENCE.
 */

import type { AddressInfo } from 'node:net';

import express from 'express';
import type { Request, RequestHandler } from 'express';
import { auth } from 'express-oauth2-jwt-bearer';
import { expressjwt } from 'express-jwt';
import type { Algorithm as JwtAlgorithm } from 'jsonwebtoken';
import jwksRsa from 'jwks-rsa';
import passport from 'passport';
import { ExtractJwt, Strategy as JwtStrategy } from 'passport-jwt';

import { authErrorHandler } from '@portcullis/core';
import { requireAuth } from '@portcullis/jwt-guard';

import { READY_PREFIX } from './guards.js';
import type { Guard } from './guards.js';

function env(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`jwt-guard bench server: ${name} is not set`);
  }

  return value;
}

const guard = env('BENCH_GUARD') as Guard;
const alg = env('BENCH_ALG');
const issuer = env('BENCH_ISSUER');
const jwksUri = env('BENCH_JWKS_URI');
const audience = env('BENCH_AUDIENCE');

const THREADS = {
  'portcullis-event-loop': 'event-loop',
  'portcullis-thread-pool': 'thread-pool',
  'portcullis-worker': 'worker',
} as const;

// Portcullis with the bench's issuer, keys loaded at startup, and `extra`.
function portcullis(
  extra: Partial<Parameters<typeof requireAuth>[0]>,
): RequestHandler {
  return requireAuth({
    issuer,
    audience,
    jwksUri,
    algorithms: [alg],
    preload: true,
    ...extra,
  });
}

// Every guard keeps its keys cached: jwks-rsa's cache is on by default and
// set explicitly here; the others cache per kid on their own.
function guardFor(name: Guard): RequestHandler | undefined {
  switch (name) {
    case 'unguarded':
      return undefined;
    case 'portcullis':
      return portcullis({ tokenCache: false });
    case 'portcullis-cached':
      return portcullis({});
    case 'portcullis-event-loop':
    case 'portcullis-thread-pool':
    case 'portcullis-worker':
      return portcullis({ signatureThread: THREADS[name] });
    case 'oauth2-jwt-bearer':
      // `issuer` and `jwksUri` given directly: no discovery, so the http
      // loopback issuer is accepted (only `issuerBaseURL` over http is
      // refused, and only with NODE_ENV=production).
      return auth({ issuer, audience, jwksUri, tokenSigningAlg: alg });
    case 'express-jwt':
      return expressjwt({
        secret: jwksRsa.expressJwtSecret({ jwksUri, cache: true }),
        algorithms: [alg as JwtAlgorithm],
        issuer,
        audience,
      });
    case 'passport-jwt':
      passport.use(
        new JwtStrategy(
          {
            jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
            secretOrKeyProvider: jwksRsa.passportJwtSecret({
              jwksUri,
              cache: true,
            }),
            algorithms: [alg as JwtAlgorithm],
            issuer,
            audience,
          },
          (payload: unknown, done: (e: null, user: unknown) => void) =>
            done(null, payload),
        ),
      );
      return passport.authenticate('jwt', { session: false });
    default:
      throw new Error(`jwt-guard bench server: unknown guard ${String(name)}`);
  }
}

function subjectOf(req: Request): string {
  const withAuth = req as Request & {
    auth?: {
      sub?: string;
      claims?: { sub?: string };
      payload?: { sub?: string };
    };
    user?: { sub?: string };
  };
  return (
    withAuth.auth?.claims?.sub ??
    withAuth.auth?.payload?.sub ??
    withAuth.auth?.sub ??
    withAuth.user?.sub ??
    'anonymous'
  );
}

const app = express();
app.disable('x-powered-by');
if (guard === 'passport-jwt') app.use(passport.initialize());
const handler = guardFor(guard);
const route: RequestHandler = (req, res) => {
  res.json({ sub: subjectOf(req) });
};
if (handler === undefined) app.get('/api/me', route);
else app.get('/api/me', handler, route);
app.use(authErrorHandler());

const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${READY_PREFIX} ${JSON.stringify({ port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.on('SIGINT', () => process.exit(0));
