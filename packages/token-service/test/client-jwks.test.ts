import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import express from 'express';
import type { Express } from 'express';
import type { JWK } from 'jose';

import { checkClients } from '../src/client-config.js';
import { createTokenService } from '../src/index.js';
import { AUDIENCE, ISSUER } from './helpers/keys.js';
import {
  clientKey,
  expectInvalidClient,
  signAssertion,
  tokenWithAssertion,
} from './helpers/client-assertions.js';
import type { ClientKey } from './helpers/client-assertions.js';

let es: ClientKey;
let ed: ClientKey;

beforeAll(async () => {
  es = await clientKey('ES256');
  ed = await clientKey('EdDSA');
});

function rsaJwk(bits: number): JWK {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return publicKey.export({ format: 'jwk' }) as JWK;
}

describe('checkClients with keys', () => {
  const withKey = (change: Record<string, unknown>) => () => ({
    clientId: 'c',
    jwks: { keys: [{ ...es.publicJwk, ...change }] },
  });
  const cases: [string, () => unknown, RegExp][] = [
    [
      'a secret and keys',
      () => ({
        clientId: 'c',
        secretHash: 'x',
        jwks: { keys: [es.publicJwk] },
      }),
      /"clients\[0\]" needs exactly one of secretHash, jwks and jwksUri/,
    ],
    [
      'jwks and jwksUri',
      () => ({
        clientId: 'c',
        jwks: { keys: [es.publicJwk] },
        jwksUri: 'https://client.example.com/jwks',
      }),
      /needs exactly one/,
    ],
    ['no credential', () => ({ clientId: 'c' }), /needs exactly one/],
    [
      'a set without keys',
      () => ({ clientId: 'c', jwks: { keys: [] } }),
      /"clients\[0\]\.jwks" must be a JWK Set/,
    ],
    [
      'a bare JWK instead of a set',
      () => ({ clientId: 'c', jwks: es.publicJwk }),
      /"clients\[0\]\.jwks" must be a JWK Set/,
    ],
    [
      'a key that is not an object',
      () => ({ clientId: 'c', jwks: { keys: ['key'] } }),
      /"clients\[0\]\.jwks\.keys\[0\]" must be a public JWK object/,
    ],
    [
      'a private EC key',
      withKey({ d: 'AAAA' }),
      /"clients\[0\]\.jwks\.keys\[0\]\.d" must be absent/,
    ],
    [
      'a symmetric key',
      () => ({
        clientId: 'c',
        jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] },
      }),
      /"clients\[0\]\.jwks\.keys\[0\]\.kty" must be RSA, EC or OKP/,
    ],
    ['a P-384 key', withKey({ crv: 'P-384' }), /\.crv" must be P-256/],
    [
      'an X25519 key',
      () => ({
        clientId: 'c',
        jwks: { keys: [{ ...ed.publicJwk, crv: 'X25519' }] },
      }),
      /\.crv" must be Ed25519/,
    ],
    [
      'alg HS256 on an EC key',
      withKey({ alg: 'HS256' }),
      /\.alg" must be one of ES256/,
    ],
    ['alg none', withKey({ alg: 'none' }), /\.alg" must be one of ES256/],
    ['use enc', withKey({ use: 'enc' }), /\.use" must be "sig"/],
    [
      'key_ops without verify',
      withKey({ key_ops: ['sign'] }),
      /\.key_ops" must list "verify"/,
    ],
    ['a numeric kid', withKey({ kid: 7 }), /\.kid" must be a string/],
    [
      'a point off the curve',
      () => ({
        clientId: 'c',
        jwks: { keys: [{ ...es.publicJwk, x: es.publicJwk.y }] },
      }),
      /is not a valid public JWK/,
    ],
    [
      'an RSA key of 1024 bits',
      () => ({ clientId: 'c', jwks: { keys: [rsaJwk(1024)] } }),
      /\.n" must be 2048 bits or more/,
    ],
    [
      'alg ES256 on an RSA key',
      () => ({
        clientId: 'c',
        jwks: { keys: [{ ...rsaJwk(2048), alg: 'ES256' }] },
      }),
      /\.alg" must be one of RS256, PS256/,
    ],
    [
      'a jwksUri over plain http',
      () => ({ clientId: 'c', jwksUri: 'http://client.example.com/jwks' }),
      /"clients\[0\]\.jwksUri" must use https/,
    ],
    [
      'a relative jwksUri',
      () => ({ clientId: 'c', jwksUri: '/jwks' }),
      /"clients\[0\]\.jwksUri" is not an absolute URL/,
    ],
  ];

  it.each(cases)('rejects %s', (_title, make, message) => {
    expect(() => checkClients([make()])).toThrow(TypeError);
    expect(() => checkClients([make()])).toThrow(message);
  });

  it('accepts EC, OKP and RSA public keys with matching alg and use', () => {
    const clients = checkClients([
      {
        clientId: 'c',
        jwks: {
          keys: [
            { ...es.publicJwk, alg: 'ES256', use: 'sig' },
            { ...ed.publicJwk, alg: 'EdDSA', key_ops: ['verify'] },
            { ...rsaJwk(2048), alg: 'PS256' },
          ],
        },
      },
    ]);
    expect(clients.get('c')?.credential.kind).toBe('keys');
  });

  it('rejects a replayCache without markIfAbsent', () => {
    expect(() =>
      createTokenService({
        issuer: ISSUER,
        replayCache: {} as never,
      }),
    ).toThrow(/option "replayCache" must have markIfAbsent/);
  });
});

describe('a client with a jwksUri', () => {
  let server: Server;
  let jwksUri: string;
  let answer: { status: number; body: unknown };

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(answer.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    jwksUri = `http://127.0.0.1:${port}/jwks.json`;
  });

  afterAll(async () => {
    server.close();
    await once(server, 'close');
  });

  async function appWith(uri: string): Promise<Express> {
    const service = await createTokenService({
      issuer: ISSUER,
      audience: AUDIENCE,
      clients: [{ clientId: 'remote', jwksUri: uri }],
    });
    return express().use(service.tokenEndpoints());
  }

  it('authenticates with a key fetched from the URL', async () => {
    answer = { status: 200, body: { keys: [ed.publicJwk, es.publicJwk] } };
    const app = await appWith(jwksUri);
    const res = await tokenWithAssertion(
      app,
      await signAssertion(es, 'remote'),
    );
    expect(res.status).toBe(200);
  });

  it('refuses an assertion whose key is not in the fetched set', async () => {
    answer = { status: 200, body: { keys: [ed.publicJwk] } };
    const app = await appWith(jwksUri);
    const res = await tokenWithAssertion(
      app,
      await signAssertion(es, 'remote'),
    );
    expectInvalidClient(res);
  });

  it('answers 503 when the URL answers an error', async () => {
    answer = { status: 500, body: { error: 'down' } };
    const app = await appWith(jwksUri);
    const res = await tokenWithAssertion(
      app,
      await signAssertion(es, 'remote'),
    );
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('temporarily_unavailable');
    expect(res.body.access_token).toBeUndefined();
  });

  it('answers 503 when nothing listens at the URL', async () => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as AddressInfo;
    probe.close();
    await once(probe, 'close');

    const app = await appWith(`http://127.0.0.1:${port}/jwks.json`);
    const res = await tokenWithAssertion(
      app,
      await signAssertion(es, 'remote'),
    );
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('temporarily_unavailable');
  });
});
