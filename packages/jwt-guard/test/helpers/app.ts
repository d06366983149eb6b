/**
 * A real Express app guarded by requireAuth, with core's error handler and
 * a handler that records each request it admits.
 */

import express from 'express';
import type { Express } from 'express';

import { authErrorHandler } from '@portcullis/core';

import { requireAuth } from '../../src/require-auth.js';
import type { RequireAuthOptions } from '../../src/require-auth.js';
import type { AuthContext } from '../../src/request-auth.js';

/** The app and what its protected handler saw. */
export interface GuardedApp {
  readonly app: Express;
  readonly seen: AuthContext[];
}

/** Builds an app with `GET /protected` behind the guard. */
export function buildGuardedApp(options: RequireAuthOptions): GuardedApp {
  const seen: AuthContext[] = [];
  const app = express();

  app.get('/protected', requireAuth(options), (req, res) => {
    if (req.auth !== undefined) seen.push(req.auth);
    res.json({ subject: req.auth?.claims.sub, scopes: req.auth?.scopes });
  });
  app.use(authErrorHandler());
  return { app, seen };
}
