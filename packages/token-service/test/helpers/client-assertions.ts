/**
 * Client keys and jose-signed `private_key_jwt` assertions for tests, and
 * a token-endpoint app whose clients authenticate with them.
 */

import { randomUUID } from 'node:crypto';

import express from 'express';
import type { Express } from 'express';
import { SignJWT, exportJWK, generateKeyPair, importJWK } from 'jose';
import type { CryptoKey, JWK, JWTPayload } from 'jose';
import request from 'supertest';
import type { Response } from 'supertest';

import type { ReplayCache } from '@portcullis/stores';

import { createTokenService, hashClientSecret } from '../../src/index.js';
import type { TokenService } from '../../src/index.js';
import { AUDIENCE, ISSUER } from './keys.js';

export const TOKEN_URL = `${ISSUER}/token`;
export const ASSERTION_TYPE =
  'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** An algorithm a client may sign assertions with. */
export type ClientAlgorithm = 'ES256' | 'RS256' | 'PS256' | 'EdDSA';

/** A client's key pair; `publicJwk` carries a `kid`. */
export interface ClientKey {
  readonly alg: ClientAlgorithm;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

/** Generates a client key pair for `alg`. */
export async function clientKey(alg: ClientAlgorithm): Promise<ClientKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, {
    extractable: true,
  });
  const publicJwk = { ...(await exportJWK(publicKey)), kid: randomUUID() };
  return { alg, privateKey, publicJwk };
}

/** The same key pair, usable for another algorithm of its type (PS256). */
export async function asAlgorithm(
  key: ClientKey,
  alg: ClientAlgorithm,
): Promise<ClientKey> {
  const jwk = await exportJWK(key.privateKey);
  const privateKey = (await importJWK(jwk, alg)) as CryptoKey;
  return { alg, privateKey, publicJwk: key.publicJwk };
}

/** Seconds since the epoch. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * Signs an assertion for `clientId`: `iss` = `sub` = client id, `aud` the
 * token endpoint, a fresh `jti`, `iat` now and `exp` in 60 s. `claims`
 * overrides them; an `undefined` value drops the claim.
 */
export async function signAssertion(
  key: ClientKey,
  clientId: string,
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
): Promise<string> {
  const now = nowSeconds();
  const payload: Record<string, unknown> = {
    iss: clientId,
    sub: clientId,
    aud: TOKEN_URL,
    jti: randomUUID(),
    iat: now,
    exp: now + 60,
    ...claims,
  };
  for (const name of Object.keys(payload)) {
    if (payload[name] === undefined) delete payload[name];
  }
  return new SignJWT(payload as JWTPayload)
    .setProtectedHeader({ alg: key.alg, kid: key.publicJwk.kid, ...header })
    .sign(key.privateKey);
}

/** The keys of the clients of {@link assertionApp}. */
export interface ClientKeys {
  es: ClientKey;
  rsa: ClientKey;
  ed: ClientKey;
}

/** Generates one key per client of {@link assertionApp}. */
export async function clientKeys(): Promise<ClientKeys> {
  return {
    es: await clientKey('ES256'),
    rsa: await clientKey('RS256'),
    ed: await clientKey('EdDSA'),
  };
}

/**
 * A token service with clients `es-client`, `rsa-client` (RS256 and PS256),
 * `ed-client` (keys) and `secret-client` (secret `s3cret`), and an app
 * serving its endpoints.
 */
export async function assertionApp(
  keys: ClientKeys,
  replayCache?: ReplayCache,
): Promise<{ service: TokenService; app: Express }> {
  const service = await createTokenService({
    issuer: ISSUER,
    audience: AUDIENCE,
    ...(replayCache === undefined ? {} : { replayCache }),
    clients: [
      { clientId: 'es-client', jwks: { keys: [keys.es.publicJwk] } },
      { clientId: 'rsa-client', jwks: { keys: [keys.rsa.publicJwk] } },
      { clientId: 'ed-client', jwks: { keys: [keys.ed.publicJwk] } },
      {
        clientId: 'secret-client',
        secretHash: await hashClientSecret('s3cret'),
      },
    ],
  });
  return { service, app: express().use(service.tokenEndpoints()) };
}

/** POSTs a form to `path` of `app`, with an optional Authorization header. */
export function postForm(
  app: Express,
  path: string,
  form: Record<string, string>,
  authorization?: string,
): Promise<Response> {
  const req = request(app).post(path).type('form');
  if (authorization !== undefined) req.set('Authorization', authorization);
  return req.send(form);
}

/** A `client_credentials` request authenticated by `assertion`. */
export function tokenWithAssertion(
  app: Express,
  assertion: string,
  extra: Record<string, string> = {},
): Promise<Response> {
  return postForm(app, '/token', {
    grant_type: 'client_credentials',
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: assertion,
    ...extra,
  });
}

/** Expects 401 `invalid_client` that says nothing about the cause. */
export function expectInvalidClient(res: Response): void {
  expect(res.status).toBe(401);
  expect(res.body).toEqual({
    error: 'invalid_client',
    error_description: 'client authentication failed',
  });
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers['www-authenticate']).toMatch(/^Basic /);
}
