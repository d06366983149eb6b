import express from 'express';
import request from 'supertest';
import { authErrorHandler, createAuditBus } from '@portcullis/core';
import type { AuditEvent } from '@portcullis/core';
import { createMemorySessionStore } from '@portcullis/stores';

import {
  createCsrfProtection,
  createSessionMiddleware,
  csrfToken,
} from '../src/index.js';
import { sessionCookie } from './helpers/app.js';

const ORIGIN = 'http://127.0.0.1:3000';

function buildCsrfApp() {
  const events: AuditEvent[] = [];
  const audit = createAuditBus();
  audit.onAny((event) => events.push(event));
  const state = { transfers: 0 };

  const app = express();
  app.use(
    createSessionMiddleware({
      store: createMemorySessionStore(),
      origin: ORIGIN,
    }),
  );
  app.use(express.urlencoded({ extended: false }));
  app.use(createCsrfProtection({ allowedOrigins: [ORIGIN], audit }));
  app.get('/form', (req, res) => {
    res.json({ token: csrfToken(req) });
  });
  app.post('/transfer', (_req, res) => {
    state.transfers += 1;
    res.json({ ok: true });
  });
  app.use(authErrorHandler());
  return { app, events, state };
}

/** Opens a session and returns its cookie and CSRF token. */
async function openSession(app: express.Express) {
  const res = await request(app).get('/form');
  return {
    cookie: sessionCookie(res.headers['set-cookie'])!,
    token: res.body.token as string,
  };
}

describe('createCsrfProtection', () => {
  it('passes a same-origin form post carrying the session token', async () => {
    const { app, state } = buildCsrfApp();
    const { cookie, token } = await openSession(app);
    const res = await request(app)
      .post('/transfer')
      .set('Cookie', cookie)
      .set('Origin', ORIGIN)
      .set('Sec-Fetch-Site', 'same-origin')
      .type('form')
      .send({ _csrf: token });

    expect(res.status).toBe(200);
    expect(state.transfers).toBe(1);
  });

  it('passes a same-origin fetch carrying the token in the header', async () => {
    const { app, state } = buildCsrfApp();
    const { cookie, token } = await openSession(app);
    const res = await request(app)
      .post('/transfer')
      .set('Cookie', cookie)
      .set('Origin', ORIGIN)
      .set('X-CSRF-Token', token);

    expect(res.status).toBe(200);
    expect(state.transfers).toBe(1);
  });

  describe('refuses with 403 and changes nothing', () => {
    it.each<
      [
        string,
        (
          s: { cookie: string; token: string },
          other: string,
        ) => Record<string, string>,
        Record<string, string>,
      ]
    >([
      [
        'a cross-origin form post with a valid token',
        (s) => ({
          Cookie: s.cookie,
          Origin: 'http://evil.example',
          'Sec-Fetch-Site': 'cross-site',
        }),
        {},
      ],
      [
        'a same-site but cross-origin post',
        (s) => ({
          Cookie: s.cookie,
          Origin: 'http://127.0.0.1:4000',
          'Sec-Fetch-Site': 'same-site',
        }),
        {},
      ],
      [
        'a post with Origin: null',
        (s) => ({ Cookie: s.cookie, Origin: 'null' }),
        {},
      ],
      [
        'a user-initiated post (Sec-Fetch-Site: none)',
        (s) => ({ Cookie: s.cookie, Origin: ORIGIN, 'Sec-Fetch-Site': 'none' }),
        {},
      ],
      [
        'a post with neither Origin nor Fetch Metadata',
        (s) => ({ Cookie: s.cookie }),
        {},
      ],
      [
        'a same-origin post without a token',
        (s) => ({ Cookie: s.cookie, Origin: ORIGIN }),
        { noToken: 'yes' },
      ],
      [
        "a same-origin post with another session's token",
        (s, other) => ({
          Cookie: s.cookie,
          Origin: ORIGIN,
          'X-CSRF-Token': other,
        }),
        { noToken: 'yes' },
      ],
      [
        'a same-origin post whose token is only in a tossed cookie',
        (s) => ({
          Cookie: `${s.cookie}; _csrf=${s.token}; x-csrf-token=${s.token}`,
          Origin: ORIGIN,
        }),
        { noToken: 'yes' },
      ],
    ])('%s', async (_name, headersFor, flags) => {
      const { app, state, events } = buildCsrfApp();
      const mine = await openSession(app);
      const theirs = await openSession(app);
      let req = request(app).post('/transfer');
      for (const [name, value] of Object.entries(
        headersFor(mine, theirs.token),
      )) {
        req = req.set(name, value);
      }
      const res = flags.noToken
        ? await req
        : await req.type('form').send({ _csrf: mine.token });

      expect(res.status).toBe(403);
      expect(res.body.error).toBe('access_denied');
      expect(state.transfers).toBe(0);
      expect(events.map((e) => e.type)).toEqual(['csrf.refused']);
    });
  });

  it('trusts Fetch Metadata same-origin over an Origin of null', async () => {
    const { app, state } = buildCsrfApp();
    const { cookie, token } = await openSession(app);
    const res = await request(app)
      .post('/transfer')
      .set('Cookie', cookie)
      .set('Origin', 'null')
      .set('Sec-Fetch-Site', 'same-origin')
      .type('form')
      .send({ _csrf: token });

    expect(res.status).toBe(200);
    expect(state.transfers).toBe(1);
  });

  it('lets safe methods through without a token', async () => {
    const { app } = buildCsrfApp();
    const res = await request(app)
      .get('/form')
      .set('Origin', 'http://evil.example');

    expect(res.status).toBe(200);
  });

  it('issues a new token when the session id changes', async () => {
    const app = express();
    app.use(
      createSessionMiddleware({
        store: createMemorySessionStore(),
        origin: ORIGIN,
      }),
    );
    app.get('/token', (req, res) => res.json({ token: csrfToken(req) }));
    app.post('/login', async (req, res) => {
      await req.session.regenerate();
      res.json({ token: csrfToken(req) });
    });
    const first = await request(app).get('/token');
    const cookie = sessionCookie(first.headers['set-cookie'])!;
    const login = await request(app).post('/login').set('Cookie', cookie);

    expect(login.body.token).toMatch(/^[\w-]{43}$/);
    expect(login.body.token).not.toBe(first.body.token);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no origins', { allowedOrigins: [] }, '"allowedOrigins"'],
    [
      'an origin with a path',
      { allowedOrigins: [`${ORIGIN}/app`] },
      '"allowedOrigins[0]"',
    ],
    [
      'a non-loopback http origin',
      { allowedOrigins: ['http://app.example'] },
      '"allowedOrigins[0]"',
    ],
    [
      'an unknown option',
      { allowedOrigins: [ORIGIN], origin: ORIGIN },
      '"origin"',
    ],
  ])('rejects %s at startup', (_name, options, path) => {
    expect(() => createCsrfProtection(options as never)).toThrow(path);
  });
});
