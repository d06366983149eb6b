// A small Express app around the session middleware, and cookie helpers.

import express from 'express';
import type { Express } from 'express';
import { authErrorHandler } from '@portcullis/core';
import { createMemorySessionStore } from '@portcullis/stores';
import type { SessionStore } from '@portcullis/stores';

import { createSessionMiddleware } from '../../src/index.js';
import type { SessionOptions } from '../../src/index.js';

export interface Clock {
  now: () => number;
  advanceSeconds(seconds: number): void;
}

export function manualClock(): Clock {
  let current = 1_700_000_000_000;
  return {
    now: () => current,
    advanceSeconds(seconds) {
      current += seconds * 1000;
    },
  };
}

export function buildApp(
  overrides: Partial<SessionOptions> = {},
  store: SessionStore = createMemorySessionStore({ now: overrides.now }),
): Express {
  const app = express();
  app.use(
    createSessionMiddleware({
      store,
      origin: 'http://127.0.0.1:3000',
      ...overrides,
    }),
  );
  app.get('/visit', (req, res) => {
    req.session.visits = Number(req.session.visits ?? 0) + 1;
    res.json({ visits: req.session.visits });
  });
  app.get('/read', (req, res) => {
    res.json({ data: { ...req.session } });
  });
  app.post('/login', async (req, res) => {
    await req.session.regenerate();
    req.session.user = 'alice';
    res.json({ ok: true });
  });
  app.post('/logout', async (req, res) => {
    await req.session.destroy();
    res.json({ ok: true });
  });
  app.use(authErrorHandler());
  return app;
}

/** The `name=value` of our session cookie in a response, if set. */
export function sessionCookie(
  setCookie: string | string[] | undefined,
  name = 'portcullis.sid',
): string | undefined {
  const lines = Array.isArray(setCookie) ? setCookie : [setCookie ?? ''];
  const line = lines.find((l) => l.startsWith(`${name}=`));
  return line?.split(';')[0];
}
