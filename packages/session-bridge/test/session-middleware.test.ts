import express from 'express';
import request from 'supertest';
import { createAuditBus } from '@portcullis/core';
import type { AuditEvent } from '@portcullis/core';
import type { SessionRecord, SessionStore } from '@portcullis/stores';
import { createMemorySessionStore } from '@portcullis/stores';

import { createSessionMiddleware } from '../src/index.js';
import { buildApp, manualClock, sessionCookie } from './helpers/app.js';

describe('createSessionMiddleware', () => {
  describe('when a request stores nothing', () => {
    it('sets no cookie', async () => {
      const res = await request(buildApp()).get('/read');

      expect(res.headers['set-cookie']).toBeUndefined();
    });
  });

  describe('when a request stores data', () => {
    it('sets an HttpOnly, SameSite=Lax cookie carrying a 256-bit id', async () => {
      const res = await request(buildApp()).get('/visit');
      const line = String(res.headers['set-cookie']);

      expect(line).toMatch(/^portcullis\.sid=[A-Za-z0-9_-]{43}; Path=\/;/);
      expect(line).toContain('HttpOnly');
      expect(line).toContain('SameSite=Lax');
      expect(line).not.toContain('Max-Age');
    });

    it('keeps the data across requests under the same cookie', async () => {
      const app = buildApp();
      const first = await request(app).get('/visit');
      const cookie = sessionCookie(first.headers['set-cookie']);
      const second = await request(app).get('/visit').set('Cookie', cookie!);

      expect(second.body).toEqual({ visits: 2 });
      expect(second.headers['set-cookie']).toBeUndefined();
    });

    it('stores the record under a hash, never under the cookie value', async () => {
      const keys: string[] = [];
      const inner = createMemorySessionStore();
      const spy: SessionStore = {
        ...inner,
        set: (key, record, ttl) => {
          keys.push(key);
          return inner.set(key, record, ttl);
        },
      };
      const res = await request(buildApp({}, spy)).get('/visit');
      const id = sessionCookie(res.headers['set-cookie'])!.split('=')[1]!;

      expect(keys).toHaveLength(1);
      expect(keys[0]).not.toContain(id);
    });
  });

  describe('on an https origin', () => {
    it('uses a __Host- prefixed Secure cookie', async () => {
      const app = buildApp({ origin: 'https://app.example' });
      const res = await request(app).get('/visit');
      const line = String(res.headers['set-cookie']);

      expect(line).toMatch(/^__Host-portcullis\.sid=/);
      expect(line).toContain('Secure');
      expect(line).toContain('Path=/');
    });
  });

  describe('at login', () => {
    it('replaces the session id, and the old id is dead at once', async () => {
      const app = buildApp();
      const before = sessionCookie(
        (await request(app).get('/visit')).headers['set-cookie'],
      )!;
      const login = await request(app).post('/login').set('Cookie', before);
      const after = sessionCookie(login.headers['set-cookie'])!;

      expect(after).not.toEqual(before);
      const old = await request(app).get('/read').set('Cookie', before);
      expect(old.body).toEqual({ data: {} });
      const current = await request(app).get('/read').set('Cookie', after);
      expect(current.body).toEqual({ data: { user: 'alice' } });
    });

    it('ignores a cookie value the server never issued', async () => {
      const planted = `portcullis.sid=${'A'.repeat(43)}`;
      const app = buildApp();
      const login = await request(app).post('/login').set('Cookie', planted);

      expect(sessionCookie(login.headers['set-cookie'])).not.toEqual(planted);
    });
  });

  describe('publicId', () => {
    it('is stable for a session, differs from the cookie value and changes at login', async () => {
      const app = buildApp();
      app.get('/ids', (req, res) => {
        req.session.seen = true;
        res.json({ publicId: req.session.publicId });
      });
      const first = await request(app).get('/ids');
      const cookie = sessionCookie(first.headers['set-cookie'])!;
      const again = await request(app).get('/ids').set('Cookie', cookie);
      const login = await request(app).post('/login').set('Cookie', cookie);
      const next = sessionCookie(login.headers['set-cookie'])!;
      const after = await request(app).get('/ids').set('Cookie', next);

      expect(first.body.publicId).toMatch(/^[\w-]{43}$/);
      expect(first.body.publicId).not.toBe(cookie.split('=')[1]);
      expect(again.body.publicId).toBe(first.body.publicId);
      expect(after.body.publicId).not.toBe(first.body.publicId);
    });
  });

  describe('at logout', () => {
    it('clears the cookie and the old id no longer works', async () => {
      const app = buildApp();
      const cookie = sessionCookie(
        (await request(app).post('/login')).headers['set-cookie'],
      )!;
      const out = await request(app).post('/logout').set('Cookie', cookie);

      expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
      const reuse = await request(app).get('/read').set('Cookie', cookie);
      expect(reuse.body).toEqual({ data: {} });
    });
  });

  describe('timeouts', () => {
    it('ends a session idle for longer than the idle timeout', async () => {
      const clock = manualClock();
      const app = buildApp({ now: clock.now, idleTimeoutSeconds: 600 });
      const cookie = sessionCookie(
        (await request(app).post('/login')).headers['set-cookie'],
      )!;
      clock.advanceSeconds(599);
      const alive = await request(app).get('/read').set('Cookie', cookie);
      clock.advanceSeconds(600);
      const dead = await request(app).get('/read').set('Cookie', cookie);

      expect(alive.body).toEqual({ data: { user: 'alice' } });
      expect(dead.body).toEqual({ data: {} });
    });

    it('ends a busy session at the absolute timeout', async () => {
      const clock = manualClock();
      const app = buildApp({
        now: clock.now,
        idleTimeoutSeconds: 600,
        absoluteTimeoutSeconds: 1800,
      });
      const cookie = sessionCookie(
        (await request(app).post('/login')).headers['set-cookie'],
      )!;
      for (let i = 0; i < 5; i += 1) {
        clock.advanceSeconds(300);
        await request(app).get('/read').set('Cookie', cookie);
      }
      clock.advanceSeconds(300);
      const dead = await request(app).get('/read').set('Cookie', cookie);

      expect(dead.body).toEqual({ data: {} });
    });
  });

  describe('when the store fails', () => {
    const broken: SessionStore = {
      get: () => Promise.reject(new Error('connection refused')),
      set: () => Promise.reject(new Error('connection refused')),
      destroy: () => Promise.reject(new Error('connection refused')),
    };

    it('answers 503 when the session cannot be loaded', async () => {
      const cookie = `portcullis.sid=${'B'.repeat(43)}`;
      const res = await request(buildApp({}, broken))
        .get('/read')
        .set('Cookie', cookie);

      expect(res.status).toBe(503);
      expect(res.body.error).toBe('temporarily_unavailable');
      expect(res.text).not.toContain('connection refused');
    });

    it('answers 503 and sets no cookie when the session cannot be saved', async () => {
      const store: SessionStore = {
        ...createMemorySessionStore(),
        set: (_key: string, _record: SessionRecord) =>
          Promise.reject(new Error('connection refused')),
      };
      const res = await request(buildApp({}, store)).get('/visit');

      expect(res.status).toBe(503);
      expect(res.body.error).toBe('temporarily_unavailable');
      expect(res.headers['set-cookie']).toBeUndefined();
    });
  });
});

describe('the response-header budget', () => {
  function appWithHeader(bytes: number) {
    const warnings: unknown[] = [];
    const events: AuditEvent[] = [];
    const audit = createAuditBus();
    audit.onAny((event) => events.push(event));
    const app = express();
    app.use(
      createSessionMiddleware({
        store: createMemorySessionStore(),
        origin: 'http://127.0.0.1:3000',
        headerBudgetBytes: 2048,
        audit,
        logger: {
          debug() {},
          info() {},
          warn: (message, fields) => {
            if (message.includes('budget')) warnings.push({ message, fields });
          },
          error() {},
        },
      }),
    );
    app.get('/', (req, res) => {
      req.session.visited = true;
      res.set('X-Large', 'x'.repeat(bytes)).json({});
    });
    return { app, warnings, events };
  }

  it('reports a response whose headers pass the budget', async () => {
    const { app, warnings, events } = appWithHeader(3000);
    const res = await request(app).get('/');

    expect(res.status).toBe(200);
    expect(warnings).toHaveLength(1);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'session.headers.oversized',
        budget: 2048,
      }),
    );
  });

  it('stays quiet within the budget', async () => {
    const { app, warnings, events } = appWithHeader(100);
    await request(app).get('/');

    expect(warnings).toHaveLength(0);
    expect(events.map((e) => e.type)).not.toContain(
      'session.headers.oversized',
    );
  });
});
