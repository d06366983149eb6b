import express from 'express';
import request from 'supertest';
import { authErrorHandler } from '@portcullis/core';
import type { DenyList, SessionStore } from '@portcullis/stores';

import { createSessionManager, createSessionMiddleware } from '../src/index.js';
import { manualClock, sessionCookie } from './helpers/app.js';
import type { Clock } from './helpers/app.js';
import { STORE_KINDS, openStore } from './helpers/stores.js';
import type { StoreHandle } from './helpers/stores.js';

function buildApp(store: SessionStore, denyList: DenyList, clock: Clock) {
  const app = express();
  app.use(
    createSessionMiddleware({
      store,
      origin: 'http://127.0.0.1:3000',
      idleTimeoutSeconds: 600,
      absoluteTimeoutSeconds: 3600,
      userIdOf: (data) => data.user as string | undefined,
      idpSession: { denyList },
      now: clock.now,
    }),
  );
  app.get('/visit', (req, res) => {
    req.session.visits = Number(req.session.visits ?? 0) + 1;
    res.json({});
  });
  app.post('/login/:user', async (req, res) => {
    await req.session.regenerate();
    req.session.user = req.params.user;
    req.session.login = { issuer: 'https://idp.example', sid: req.query.sid };
    res.json({ publicId: req.session.publicId });
  });
  app.post('/logout', async (req, res) => {
    await req.session.destroy();
    res.json({});
  });
  app.get('/who', (req, res) => {
    res.json({ user: req.session.user ?? null });
  });
  app.use(authErrorHandler());
  return app;
}

async function login(
  app: express.Express,
  user: string,
  cookie?: string,
  sid = 'idp-session-1',
) {
  const req = request(app).post(`/login/${user}?sid=${sid}`);
  const res = await (cookie ? req.set('Cookie', cookie) : req);
  return {
    cookie: sessionCookie(res.headers['set-cookie'])!,
    publicId: res.body.publicId as string,
  };
}

async function who(app: express.Express, cookie: string) {
  return (await request(app).get('/who').set('Cookie', cookie)).body.user;
}

describe.each(STORE_KINDS)('sessions on the %s store', (kind) => {
  let handle: StoreHandle;
  let clock: Clock;
  let app: express.Express;

  beforeEach(async () => {
    clock = manualClock();
    handle = await openStore(kind, clock.now);
    app = buildApp(handle.store, handle.denyList, clock);
  });

  afterEach(async () => {
    await handle.close();
  });

  it('kills the pre-login id at login and the session id at logout', async () => {
    const before = sessionCookie(
      (await request(app).get('/visit')).headers['set-cookie'],
    )!;
    const { cookie } = await login(app, 'alice', before);

    expect(cookie).not.toBe(before);
    expect(await who(app, before)).toBeNull();
    expect(await who(app, cookie)).toBe('alice');

    await request(app).post('/logout').set('Cookie', cookie);
    expect(await who(app, cookie)).toBeNull();
  });

  it('ends a session at the idle timeout', async () => {
    const { cookie } = await login(app, 'alice');
    clock.advanceSeconds(599);
    expect(await who(app, cookie)).toBe('alice');

    clock.advanceSeconds(600);
    expect(await who(app, cookie)).toBeNull();
  });

  it('ends a busy session at the absolute timeout', async () => {
    const { cookie } = await login(app, 'alice');
    for (let i = 0; i < 11; i += 1) {
      clock.advanceSeconds(300);
      expect(await who(app, cookie)).toBe('alice');
    }
    clock.advanceSeconds(300);

    expect(await who(app, cookie)).toBeNull();
  });

  it('lists the sessions of a user and signs them out everywhere', async () => {
    const manager = createSessionManager({ store: handle.store });
    const laptop = await login(app, 'alice');
    clock.advanceSeconds(1);
    const phone = await login(app, 'alice');
    const bob = await login(app, 'bob');

    const listed = await manager.listForUser('alice');
    expect(listed.map((s) => s.publicId)).toEqual([
      laptop.publicId,
      phone.publicId,
    ]);

    await expect(manager.endAllForUser('alice')).resolves.toBe(2);
    expect(await who(app, laptop.cookie)).toBeNull();
    expect(await who(app, phone.cookie)).toBeNull();
    expect(await who(app, bob.cookie)).toBe('bob');
    await expect(manager.listForUser('alice')).resolves.toEqual([]);
  });

  it('ends the sessions of one IdP session (back-channel logout)', async () => {
    const manager = createSessionManager({
      store: handle.store,
      denyList: handle.denyList,
    });
    const laptop = await login(app, 'alice', undefined, 'idp-a');
    const phone = await login(app, 'alice', undefined, 'idp-b');
    await manager.endByIdpSession('https://idp.example', 'idp-a');

    expect(await who(app, laptop.cookie)).toBeNull();
    expect(await who(app, phone.cookie)).toBe('alice');
  });

  it('ends one session by its public handle', async () => {
    const manager = createSessionManager({ store: handle.store });
    const laptop = await login(app, 'alice');
    const phone = await login(app, 'alice');
    await manager.end(laptop.publicId);

    expect(await who(app, laptop.cookie)).toBeNull();
    expect(await who(app, phone.cookie)).toBe('alice');
  });
});

describe('createSessionManager', () => {
  it('needs a deny-list for endByIdpSession', async () => {
    const handle = await openStore('memory', Date.now);
    const manager = createSessionManager({ store: handle.store });

    await expect(manager.endByIdpSession('https://idp', 's')).rejects.toThrow(
      '"denyList"',
    );
  });

  it('refuses a store without a per-user index', () => {
    const store = { get: jest.fn(), set: jest.fn(), destroy: jest.fn() };

    expect(() => createSessionManager({ store })).toThrow('"store"');
  });
});
