import { request as httpsRequest, createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';

import express from 'express';
import type { Express } from 'express';
import supertest from 'supertest';

import { authErrorHandler } from '@portcullis/core';

import { requireAuth } from '../src/require-auth.js';
import type { RequireAuthOptions } from '../src/require-auth.js';
import { createCertificate } from './helpers/certificates.js';
import type { TestCertificate } from './helpers/certificates.js';
import { AUDIENCE, ISSUER, createSigner, validClaims } from './helpers/keys.js';
import type { TestSigner } from './helpers/keys.js';

let signer: TestSigner;
let serverCert: TestCertificate;
let client: TestCertificate;
let other: TestCertificate;

beforeAll(async () => {
  signer = await createSigner('ES256');
  serverCert = createCertificate('127.0.0.1');
  client = createCertificate('client');
  other = createCertificate('other');
});

function app(extra: Partial<RequireAuthOptions> = {}): Express {
  const server = express();
  server.get(
    '/r',
    requireAuth({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwks: { keys: [signer.publicJwk] },
      algorithms: ['ES256'],
      ...extra,
    }),
    (_req, res) => res.json({ ok: true }),
  );
  server.use(authErrorHandler());
  return server;
}

async function overTls(
  handler: Express,
  token: string,
  cert?: TestCertificate,
): Promise<number> {
  // The server asks for a certificate but does not require a CA chain:
  // for RFC 8705 self-signed binding the thumbprint is the proof.
  const server: Server = createServer(
    {
      cert: serverCert.cert,
      key: serverCert.key,
      requestCert: true,
      rejectUnauthorized: false,
    },
    handler,
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise<number>((resolve, reject) => {
      const req = httpsRequest(
        {
          host: '127.0.0.1',
          port,
          path: '/r',
          headers: { authorization: `Bearer ${token}` },
          rejectUnauthorized: false,
          ...(cert === undefined ? {} : { cert: cert.cert, key: cert.key }),
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end();
    });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

function bound(thumbprint: string) {
  return signer.sign(validClaims({ cnf: { 'x5t#S256': thumbprint } }));
}

describe('requireAuth with certificate-bound tokens (RFC 8705)', () => {
  it('admits a bound token over a connection with that certificate', async () => {
    expect(await overTls(app(), await bound(client.thumbprint), client)).toBe(
      200,
    );
  });

  it.each<[string, () => TestCertificate | undefined]>([
    ['another certificate', () => other],
    ['no certificate', () => undefined],
  ])('refuses a bound token with %s', async (_, cert) => {
    expect(await overTls(app(), await bound(client.thumbprint), cert())).toBe(
      401,
    );
  });

  it('refuses a bound token over plain http', async () => {
    const res = await supertest(app())
      .get('/r')
      .set('Authorization', `Bearer ${await bound(client.thumbprint)}`);

    expect(res.status).toBe(401);
    expect(res.body.error_description).toBe('the access token is invalid');
  });

  it('admits an unbound token unless mtls.required', async () => {
    const token = await signer.sign(validClaims());

    expect(await overTls(app(), token, client)).toBe(200);
    expect(
      await overTls(app({ mtls: { required: true } }), token, client),
    ).toBe(401);
  });

  describe('with a trusted proxy hook', () => {
    const viaHeader = (req: express.Request) => {
      const value = req.get('x-client-cert');
      return value === undefined ? undefined : decodeURIComponent(value);
    };

    it.each<[string, () => string | undefined, number]>([
      ['the bound certificate', () => client.cert, 200],
      ['another certificate', () => other.cert, 401],
      ['garbage', () => 'not a certificate', 401],
      ['nothing', () => undefined, 401],
    ])('answers %s with %i', async (_, cert, status) => {
      let req = supertest(app({ mtls: { certificate: viaHeader } }))
        .get('/r')
        .set('Authorization', `Bearer ${await bound(client.thumbprint)}`);
      const value = cert();
      if (value !== undefined)
        req = req.set('x-client-cert', encodeURIComponent(value));

      expect((await req).status).toBe(status);
    });

    it('fails closed when the hook throws', async () => {
      const res = await supertest(
        app({
          mtls: {
            certificate: () => {
              throw new Error('broken');
            },
          },
        }),
      )
        .get('/r')
        .set('Authorization', `Bearer ${await bound(client.thumbprint)}`);

      expect(res.status).toBe(401);
    });
  });

  it.each([
    [{ certificate: 'x' }, 'mtls.certificate'],
    ['yes', 'mtls'],
  ])('refuses %j at startup', (mtls, path) => {
    expect(() => app({ mtls: mtls as never })).toThrow(`option "${path}"`);
  });
});
