/**
 * The stop-the-store suite of the token endpoints, run against any store
 * pair whose backend a test can stop and bring back: requests succeed, the
 * backend stops, every request that needs it answers 503 and changes
 * nothing, and the same running service serves again once it returns.
 */

import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';

import express from 'express';
import { decodeJwt } from 'jose';
import request from 'supertest';
import type { Response } from 'supertest';

import { createAuditBus } from '@portcullis/core';
import type { DenyList, RefreshTokenStore } from '@portcullis/stores';

import { createTokenService, hashClientSecret } from '../../src/index.js';
import type { TokenService } from '../../src/index.js';
import { AUDIENCE, ISSUER } from './keys.js';

const SECRET = 'a-server-secret-of-at-least-32-characters';
const AUTH = `Basic ${Buffer.from('web:web-secret').toString('base64')}`;
const GRACE_SECONDS = 30;

/** The stores of the service, kept across the outage. */
export interface StoppableStores {
  refreshTokens: RefreshTokenStore;
  denyList: DenyList;
}

/** A backend the suite stops and brings back. */
export interface StoppableBackend {
  /** The stores on the backend; called once, after the backend is up. */
  stores(): StoppableStores;
  /** Makes the backend unavailable to the stores. */
  stop(): Promise<void>;
  /** Brings it back and resolves once the stores answer again. */
  restart(): Promise<void>;
}

/** A token service behind a real HTTP server on an ephemeral port. */
export interface RunningIssuer {
  service: TokenService;
  stores: StoppableStores;
  /** Types of the audit events emitted so far. */
  events: string[];
  post(path: string, form: Record<string, string>): Promise<Response>;
  refresh(refreshToken: string): Promise<Response>;
  close(): Promise<void>;
}

/** The SHA-256 form in which the stores keep a refresh token. */
export function storedHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Starts a token service on `stores`, listening on 127.0.0.1:0. */
export async function startIssuer(
  stores: StoppableStores,
): Promise<RunningIssuer> {
  const audit = createAuditBus();
  const events: string[] = [];
  audit.onAny((event) => events.push(event.type));
  const service = await createTokenService({
    issuer: ISSUER,
    audience: AUDIENCE,
    refreshTokens: stores.refreshTokens,
    denyList: stores.denyList,
    refreshTokenSecret: SECRET,
    refreshGraceSeconds: GRACE_SECONDS,
    audit,
    clients: [
      {
        clientId: 'web',
        secretHash: await hashClientSecret('web-secret'),
        scope: ['read:items'],
      },
    ],
  });

  const server: Server = express()
    .use(service.tokenEndpoints())
    .listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const base = `http://127.0.0.1:${port}`;

  const post = (path: string, form: Record<string, string>) =>
    request(base)
      .post(path)
      .set('Authorization', AUTH)
      .type('form')
      .send(form)
      .then((res) => res);
  return {
    service,
    stores,
    events,
    post,
    refresh: (refreshToken) =>
      post('/token', {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
      }),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Asserts an RFC 6749 section 5.2 503 that carries no token. */
export function expectUnavailable(res: Response): void {
  expect(res.status).toBe(503);
  expect(res.body).toEqual({
    error: 'temporarily_unavailable',
    error_description: expect.any(String),
  });
  expect(res.headers['cache-control']).toBe('no-store');
}

/** Defines the suite; `backend` is up before each test and after it. */
export function stoppedStoreSuite(backend: StoppableBackend): void {
  let issuer: RunningIssuer;
  let stopped = false;

  async function stop(): Promise<void> {
    stopped = true;
    await backend.stop();
  }

  async function restart(): Promise<void> {
    await backend.restart();
    stopped = false;
  }

  beforeAll(async () => {
    issuer = await startIssuer(backend.stores());
  });

  afterEach(async () => {
    if (stopped) await restart();
  });

  afterAll(async () => {
    await issuer?.close();
  });

  async function newFamily(subject: string) {
    return issuer.service.issueRefreshToken({
      clientId: 'web',
      subject,
      scope: ['read:items'],
    });
  }

  it('refuses refresh with 503 while stopped, then rotates it exactly once', async () => {
    const { familyId, refreshToken } = await newFamily('u1');
    const before = await issuer.refresh(refreshToken);
    expect(before.status).toBe(200);
    const current = before.body.refresh_token as string;

    await stop();
    const issuedBefore = issuer.events.filter((t) => t === 'token.issued');
    const during = await Promise.all(
      [1, 2, 3].map(() => issuer.refresh(current)),
    );
    during.forEach(expectUnavailable);
    await expect(
      issuer.service.refresh({ refreshToken: current, clientId: 'web' }),
    ).rejects.toMatchObject({ code: 'temporarily_unavailable', status: 503 });
    await expect(newFamily('u1b')).rejects.toMatchObject({
      code: 'temporarily_unavailable',
      status: 503,
    });
    expect(issuer.events.filter((t) => t === 'token.issued')).toEqual(
      issuedBefore,
    );

    await restart();
    const unchanged = await issuer.stores.refreshTokens.getFamily(familyId);
    expect(unchanged).toMatchObject({
      generation: 1,
      currentTokenHash: storedHash(current),
    });
    expect(unchanged?.revokedAtMs).toBeUndefined();

    const after = await issuer.refresh(current);
    expect(after.status).toBe(200);
    expect(decodeJwt(after.body.access_token)).toMatchObject({
      sub: 'u1',
      sid: familyId,
    });
    const next = after.body.refresh_token as string;
    // A client that retries inside the grace window gets the same successor.
    const retried = await issuer.refresh(current);
    expect(retried.status).toBe(200);
    expect(retried.body.refresh_token).toBe(next);
    expect(await issuer.stores.refreshTokens.getFamily(familyId)).toMatchObject(
      { generation: 2, currentTokenHash: storedHash(next) },
    );

    expect((await issuer.refresh(next)).status).toBe(200);
    await expect(newFamily('u1c')).resolves.toHaveProperty('refreshToken');
  });

  it('answers 503 to revocation while stopped, revokes nothing, and revokes on retry', async () => {
    const { familyId, refreshToken } = await newFamily('u2');
    const refreshed = await issuer.refresh(refreshToken);
    const access = refreshed.body.access_token as string;
    const current = refreshed.body.refresh_token as string;
    const { jti } = decodeJwt(access);

    await stop();
    expectUnavailable(await issuer.post('/revoke', { token: current }));
    expectUnavailable(await issuer.post('/revoke', { token: access }));
    // Introspection cannot consult the deny-list, so it calls nothing active.
    expectUnavailable(await issuer.post('/introspect', { token: access }));
    expectUnavailable(await issuer.post('/introspect', { token: current }));

    await restart();
    // RFC 7009 section 2.2.1: after a 503 the client assumes the token
    // still exists; it does, and the family is neither revoked nor listed.
    const family = await issuer.stores.refreshTokens.getFamily(familyId);
    expect(family?.revokedAtMs).toBeUndefined();
    await expect(issuer.stores.denyList.has(familyId)).resolves.toBe(false);
    await expect(issuer.stores.denyList.has(jti as string)).resolves.toBe(
      false,
    );

    expect((await issuer.post('/revoke', { token: access })).status).toBe(200);
    await expect(issuer.stores.denyList.has(jti as string)).resolves.toBe(true);
    expect((await issuer.post('/revoke', { token: current })).status).toBe(200);
    const revoked = await issuer.stores.refreshTokens.getFamily(familyId);
    expect(revoked?.revokedAtMs).toBeDefined();
    await expect(issuer.stores.denyList.has(familyId)).resolves.toBe(true);
    const refused = await issuer.refresh(current);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_grant');
    const introspected = await issuer.post('/introspect', { token: access });
    expect(introspected.body).toEqual({ active: false });
  });

  it('keeps serving client_credentials, which reads no store, while stopped', async () => {
    await stop();
    const res = await issuer.post('/token', {
      grant_type: 'client_credentials',
      scope: 'read:items',
    });

    expect(res.status).toBe(200);
    const claims = decodeJwt(res.body.access_token);
    expect(claims).toMatchObject({ sub: 'web', client_id: 'web' });
    expect(claims.sid).toBeUndefined();
  });
}
