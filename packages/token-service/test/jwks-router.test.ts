import express from 'express';
import request from 'supertest';

import { createJwksRouter } from '../src/jwks-router.js';
import { loadSigningKey } from '../src/signing-key.js';
import { PRIVATE_MEMBERS } from './helpers/keys.js';

async function appWithJwks() {
  const key = await loadSigningKey(undefined, 'ES256');
  const app = express();
  app.use(createJwksRouter({ keys: [key.publicJwk] }));
  return { app, key };
}

describe('createJwksRouter', () => {
  it('serves the set as JSON with a five-minute cache lifetime', async () => {
    const { app, key } = await appWithJwks();

    const res = await request(app).get('/.well-known/jwks.json');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json(;|$)/);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.body).toEqual({ keys: [key.publicJwk] });
  });

  it('publishes no private key member', async () => {
    const { app } = await appWithJwks();

    const res = await request(app).get('/.well-known/jwks.json');

    for (const jwk of res.body.keys) {
      for (const name of PRIVATE_MEMBERS) expect(jwk).not.toHaveProperty(name);
      expect(jwk).toMatchObject({
        alg: 'ES256',
        use: 'sig',
        kid: expect.any(String),
      });
    }
  });

  it('answers HEAD with the same headers', async () => {
    const { app } = await appWithJwks();

    const res = await request(app).head('/.well-known/jwks.json');

    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
  });

  it.each([
    ['POST', '/.well-known/jwks.json'],
    ['GET', '/jwks.json'],
  ])('leaves %s %s to the next handler', async (method, path) => {
    const { app } = await appWithJwks();

    const res = await request(app)[method === 'POST' ? 'post' : 'get'](path);

    expect(res.status).toBe(404);
  });

  it('serves the current set of a function, with the given max-age', async () => {
    const first = await loadSigningKey(undefined, 'ES256');
    const second = await loadSigningKey(undefined, 'RS256');
    let jwks = { keys: [first.publicJwk] };
    const app = express().use(createJwksRouter(() => jwks, 60));

    const before = await request(app).get('/.well-known/jwks.json');
    jwks = { keys: [first.publicJwk, second.publicJwk] };
    const after = await request(app).get('/.well-known/jwks.json');

    expect(before.body.keys).toHaveLength(1);
    expect(after.body).toEqual({ keys: [first.publicJwk, second.publicJwk] });
    expect(after.headers['cache-control']).toBe('public, max-age=60');
  });

  it('serves under the mount path of an issuer with a path', async () => {
    const key = await loadSigningKey(undefined, 'EdDSA');
    const app = express();
    app.use('/auth', createJwksRouter({ keys: [key.publicJwk] }));

    const res = await request(app).get('/auth/.well-known/jwks.json');

    expect(res.body.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
  });
});
