import { createHash, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import express from 'express';
import type { RequestHandler } from 'express';
import { Redis } from 'ioredis';
import {
  SignJWT,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
} from 'jose';
import request from 'supertest';
import { authErrorHandler } from '@portcullis/core';
import { createRedisStores } from '@portcullis/stores';

import { redisUrl, uniqueName } from '../../../test-support/services.js';
import { requireAuth } from '../src/require-auth.js';
import {
  AUDIENCE,
  ISSUER,
  createSigner,
  nowSeconds,
  validClaims,
} from './helpers/keys.js';

describe('DPoP proof replay across instances sharing Redis', () => {
  let client: Redis;
  let server: Server;
  let base: string;
  const served: string[] = [];

  afterAll(async () => {
    client?.disconnect();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('refuses on one instance a proof first used on another', async () => {
    client = new Redis(redisUrl(), {
      maxRetriesPerRequest: 1,
      commandTimeout: 2000,
    });
    const stores = createRedisStores({
      client,
      keyPrefix: `${uniqueName('dpop')}:`,
    });
    const signer = await createSigner('ES256');
    const guard = (): RequestHandler =>
      requireAuth({
        issuer: ISSUER,
        audience: AUDIENCE,
        jwks: { keys: [signer.publicJwk] },
        algorithms: ['ES256'],
        dpop: { replayStore: stores.replayCache },
      });
    // Two guards with no shared memory stand in for two instances behind
    // one load balancer: requests alternate between them.
    const instances = [guard(), guard()];
    let turn = 0;
    const app = express();
    app.get(
      '/r',
      (req, res, next) => {
        const index = turn++ % 2;
        served.push(`instance-${index}`);
        instances[index]!(req, res, next);
      },
      (_req, res) => res.json({ ok: true }),
    );
    app.use(authErrorHandler());
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const pair = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(pair.publicKey);
    const token = await signer.sign(
      validClaims({ cnf: { jkt: await calculateJwkThumbprint(jwk) } }),
    );
    const proof = await new SignJWT({
      htm: 'GET',
      htu: `${base}/r`,
      iat: nowSeconds(),
      jti: randomUUID(),
      ath: createHash('sha256').update(token).digest('base64url'),
    })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk } as never)
      .sign(pair.privateKey);
    const send = () =>
      request(base)
        .get('/r')
        .set('Authorization', `DPoP ${token}`)
        .set('DPoP', proof);

    const first = await send();
    const replay = await send();

    expect(served).toEqual(['instance-0', 'instance-1']);
    expect([first.status, replay.status]).toEqual([200, 401]);
    expect(replay.body.error).toBe('invalid_dpop_proof');
  });
});
