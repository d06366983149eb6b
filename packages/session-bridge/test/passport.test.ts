import express from 'express';
import passport from 'passport';
import request from 'supertest';
import { createMemorySessionStore } from '@portcullis/stores';

import { createSessionMiddleware } from '../src/index.js';
import { sessionCookie } from './helpers/app.js';

interface User {
  id: string;
}

function buildPassportApp() {
  const auth = new passport.Passport();
  auth.serializeUser<string>((user, done) => done(null, (user as User).id));
  auth.deserializeUser<string>((id, done) => done(null, { id }));

  const app = express();
  app.use(
    createSessionMiddleware({
      store: createMemorySessionStore(),
      origin: 'http://127.0.0.1:3000',
    }),
  );
  app.use(auth.session());
  app.post('/login', (req, res, next) => {
    req.login({ id: 'alice' }, (err) => (err ? next(err) : res.json({})));
  });
  app.post('/logout', (req, res, next) => {
    req.logout((err) => (err ? next(err) : res.json({})));
  });
  app.get('/me', (req, res) => {
    res.json({ user: (req.user as User | undefined)?.id ?? null });
  });
  return app;
}

describe('Session with passport', () => {
  it('supports req.login and req.logout unchanged', async () => {
    const app = buildPassportApp();
    const login = await request(app).post('/login');
    const cookie = sessionCookie(login.headers['set-cookie'])!;
    const me = await request(app).get('/me').set('Cookie', cookie);
    const logout = await request(app).post('/logout').set('Cookie', cookie);
    const after = await request(app).get('/me').set('Cookie', cookie);

    expect(me.body).toEqual({ user: 'alice' });
    expect(logout.status).toBe(200);
    expect(after.body).toEqual({ user: null });
  });
});
