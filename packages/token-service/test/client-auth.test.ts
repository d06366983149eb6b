import { createPublicKey } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';

import type { Express } from 'express';
import { SignJWT, decodeJwt } from 'jose';

import { createMemoryReplayCache } from '@portcullis/stores';

import { createTokenService } from '../src/index.js';
import { AUDIENCE, ISSUER } from './helpers/keys.js';
import {
  ASSERTION_TYPE,
  TOKEN_URL,
  asAlgorithm,
  assertionApp,
  clientKey,
  clientKeys,
  expectInvalidClient,
  nowSeconds,
  postForm,
  signAssertion,
  tokenWithAssertion,
} from './helpers/client-assertions.js';
import type { ClientKeys } from './helpers/client-assertions.js';

let keys: ClientKeys;

beforeAll(async () => {
  keys = await clientKeys();
});

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('private_key_jwt client authentication', () => {
  let app: Express;

  beforeEach(async () => {
    ({ app } = await assertionApp(keys));
  });

  describe('when the assertion is valid', () => {
    it.each([
      ['ES256', 'es-client', 'es'],
      ['RS256', 'rsa-client', 'rsa'],
      ['PS256', 'rsa-client', 'rsa'],
      ['EdDSA', 'ed-client', 'ed'],
    ] as const)(
      'issues a client_credentials token for a %s assertion',
      async (alg, clientId, name) => {
        const key = await asAlgorithm(keys[name], alg);
        const res = await tokenWithAssertion(
          app,
          await signAssertion(key, clientId),
        );

        expect(res.status).toBe(200);
        expect(res.headers['cache-control']).toBe('no-store');
        expect(decodeJwt(res.body.access_token)).toMatchObject({
          sub: clientId,
          client_id: clientId,
        });
      },
    );

    it('accepts the issuer as audience', async () => {
      const assertion = await signAssertion(keys.es, 'es-client', {
        aud: ISSUER,
      });
      const res = await tokenWithAssertion(app, assertion);
      expect(res.status).toBe(200);
    });

    it('accepts an audience array that contains the token endpoint', async () => {
      const assertion = await signAssertion(keys.es, 'es-client', {
        aud: ['https://elsewhere.example.com', TOKEN_URL],
      });
      const res = await tokenWithAssertion(app, assertion);
      expect(res.status).toBe(200);
    });

    it('accepts a client_id parameter that names the same client', async () => {
      const assertion = await signAssertion(keys.ed, 'ed-client');
      const res = await tokenWithAssertion(app, assertion, {
        client_id: 'ed-client',
      });
      expect(res.status).toBe(200);
    });

    it('accepts an assertion without iat', async () => {
      const assertion = await signAssertion(keys.es, 'es-client', {
        iat: undefined,
      });
      const res = await tokenWithAssertion(app, assertion);
      expect(res.status).toBe(200);
    });

    it('authenticates at /revoke and /introspect too', async () => {
      const issued = await tokenWithAssertion(
        app,
        await signAssertion(keys.es, 'es-client'),
      );
      const token = issued.body.access_token as string;
      const auth = async () => ({
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: await signAssertion(keys.es, 'es-client'),
      });

      const introspected = await postForm(app, '/introspect', {
        token,
        ...(await auth()),
      });
      expect(introspected.status).toBe(200);
      expect(introspected.body).toMatchObject({
        active: true,
        client_id: 'es-client',
      });

      const revoked = await postForm(app, '/revoke', {
        token,
        ...(await auth()),
      });
      expect(revoked.status).toBe(200);
    });

    it('refuses a bad assertion at /revoke and /introspect', async () => {
      const bad = await signAssertion(keys.es, 'es-client', { aud: 'x' });
      for (const path of ['/revoke', '/introspect']) {
        const res = await postForm(app, path, {
          token: 'anything',
          client_assertion_type: ASSERTION_TYPE,
          client_assertion: bad,
        });
        expectInvalidClient(res);
      }
    });
  });

  describe('when the assertion is refused', () => {
    const now = nowSeconds();
    const cases: [string, () => Promise<string>][] = [
      [
        'sub differs from iss',
        () => signAssertion(keys.es, 'es-client', { sub: 'ed-client' }),
      ],
      [
        'iss names another client than the signer',
        () => signAssertion(keys.es, 'ed-client'),
      ],
      [
        'iss is missing',
        () => signAssertion(keys.es, 'es-client', { iss: undefined }),
      ],
      [
        'the audience is another server',
        () =>
          signAssertion(keys.es, 'es-client', {
            aud: 'https://other.example.com',
          }),
      ],
      [
        'the audience is the revocation endpoint',
        () => signAssertion(keys.es, 'es-client', { aud: `${ISSUER}/revoke` }),
      ],
      [
        'the audience is missing',
        () => signAssertion(keys.es, 'es-client', { aud: undefined }),
      ],
      [
        'it has expired',
        () =>
          signAssertion(keys.es, 'es-client', {
            iat: now - 120,
            exp: now - 60,
          }),
      ],
      [
        'exp is missing',
        () => signAssertion(keys.es, 'es-client', { exp: undefined }),
      ],
      [
        'its lifetime exceeds five minutes',
        () => signAssertion(keys.es, 'es-client', { iat: now, exp: now + 400 }),
      ],
      [
        'exp is over five minutes away and iat is absent',
        () =>
          signAssertion(keys.es, 'es-client', {
            iat: undefined,
            exp: now + 400,
          }),
      ],
      [
        'exp - iat exceeds five minutes though exp is near',
        () =>
          signAssertion(keys.es, 'es-client', {
            iat: now - 200,
            exp: now + 200,
          }),
      ],
      [
        'iat is in the future',
        () =>
          signAssertion(keys.es, 'es-client', {
            iat: now + 120,
            exp: now + 180,
          }),
      ],
      [
        'nbf is in the future',
        () => signAssertion(keys.es, 'es-client', { nbf: now + 120 }),
      ],
      [
        'jti is missing',
        () => signAssertion(keys.es, 'es-client', { jti: undefined }),
      ],
      ['jti is empty', () => signAssertion(keys.es, 'es-client', { jti: '' })],
      [
        'jti is longer than 256 characters',
        () => signAssertion(keys.es, 'es-client', { jti: 'j'.repeat(257) }),
      ],
      [
        'alg is none',
        async () => {
          const header = base64url({ alg: 'none', typ: 'JWT' });
          const payload = decodeJwt(await signAssertion(keys.es, 'es-client'));
          return `${header}.${base64url(payload)}.`;
        },
      ],
      [
        'it is HS256 signed with the client public key as secret',
        async () => {
          const pem = createPublicKey({
            key: keys.es.publicJwk as JsonWebKey,
            format: 'jwk',
          }).export({ type: 'spki', format: 'pem' }) as string;
          const payload = decodeJwt(await signAssertion(keys.es, 'es-client'));
          return new SignJWT(payload)
            .setProtectedHeader({ alg: 'HS256', kid: keys.es.publicJwk.kid })
            .sign(new TextEncoder().encode(pem));
        },
      ],
      [
        'it is signed by another key under the client key id',
        async () => {
          const other = await clientKey('ES256');
          return signAssertion(
            { ...other, publicJwk: keys.es.publicJwk },
            'es-client',
          );
        },
      ],
      [
        'the header names an unknown key id',
        () => signAssertion(keys.es, 'es-client', {}, { kid: 'no-such-key' }),
      ],
      ['the client is unknown', () => signAssertion(keys.es, 'nobody')],
      [
        'the client is configured for a secret',
        () => signAssertion(keys.es, 'secret-client'),
      ],
      ['it is not a JWT', async () => 'not-a-jwt'],
      [
        'its signature is cut off',
        async () =>
          (await signAssertion(keys.es, 'es-client')).replace(/\.[^.]+$/, '.'),
      ],
    ];

    it.each(cases)(
      'answers 401 invalid_client when %s',
      async (_title, make) => {
        const res = await tokenWithAssertion(app, await make());
        expectInvalidClient(res);
        expect(res.body.access_token).toBeUndefined();
      },
    );

    it('answers 401 when client_id names another client', async () => {
      const assertion = await signAssertion(keys.es, 'es-client');
      const res = await tokenWithAssertion(app, assertion, {
        client_id: 'ed-client',
      });
      expectInvalidClient(res);
    });

    it('answers 401 for another client_assertion_type', async () => {
      const res = await tokenWithAssertion(
        app,
        await signAssertion(keys.es, 'es-client'),
        {
          client_assertion_type:
            'urn:ietf:params:oauth:assertion-type:saml2-bearer',
        },
      );
      expectInvalidClient(res);
    });

    it('refuses a replayed assertion', async () => {
      const assertion = await signAssertion(keys.es, 'es-client');
      expect((await tokenWithAssertion(app, assertion)).status).toBe(200);

      const replay = await tokenWithAssertion(app, assertion);
      expectInvalidClient(replay);
    });

    it('refuses a new assertion that reuses a jti', async () => {
      const first = await signAssertion(keys.rsa, 'rsa-client', { jti: 'j1' });
      expect((await tokenWithAssertion(app, first)).status).toBe(200);

      const second = await signAssertion(keys.rsa, 'rsa-client', {
        jti: 'j1',
        exp: nowSeconds() + 90,
      });
      expectInvalidClient(await tokenWithAssertion(app, second));
    });

    it('keeps jti values of different clients apart', async () => {
      const es = await signAssertion(keys.es, 'es-client', { jti: 'shared' });
      const ed = await signAssertion(keys.ed, 'ed-client', { jti: 'shared' });
      expect((await tokenWithAssertion(app, es)).status).toBe(200);
      expect((await tokenWithAssertion(app, ed)).status).toBe(200);
    });

    it('does not consume the jti of a refused assertion', async () => {
      const refused = await signAssertion(
        keys.es,
        'es-client',
        { jti: 'kept' },
        { kid: 'no-such-key' },
      );
      expectInvalidClient(await tokenWithAssertion(app, refused));

      const valid = await signAssertion(keys.es, 'es-client', { jti: 'kept' });
      expect((await tokenWithAssertion(app, valid)).status).toBe(200);
    });
  });

  describe('when a client uses the method it is not configured for', () => {
    it('refuses client_secret_basic from a key client', async () => {
      const res = await postForm(
        app,
        '/token',
        { grant_type: 'client_credentials' },
        basic('es-client', 'anything'),
      );
      expectInvalidClient(res);
    });

    it('refuses client_secret_post from a key client', async () => {
      const res = await postForm(app, '/token', {
        grant_type: 'client_credentials',
        client_id: 'es-client',
        client_secret: 'anything',
      });
      expectInvalidClient(res);
    });

    it('refuses client_secret_basic whose client_id parameter differs', async () => {
      const res = await postForm(
        app,
        '/token',
        { grant_type: 'client_credentials', client_id: 'es-client' },
        basic('secret-client', 's3cret'),
      );
      expectInvalidClient(res);
    });

    it('refuses client_secret_basic with a malformed percent-encoding', async () => {
      const res = await postForm(
        app,
        '/token',
        { grant_type: 'client_credentials' },
        basic('secret-client', '%zz'),
      );
      expectInvalidClient(res);
    });

    it('refuses a request without any client credentials', async () => {
      const res = await postForm(app, '/token', {
        grant_type: 'client_credentials',
        client_id: 'secret-client',
      });
      expectInvalidClient(res);
    });

    it('still accepts the secret of a secret client', async () => {
      const res = await postForm(
        app,
        '/token',
        { grant_type: 'client_credentials' },
        basic('secret-client', 's3cret'),
      );
      expect(res.status).toBe(200);
    });
  });

  describe('when the request mixes or truncates methods', () => {
    const cases: [string, Record<string, string>, string | undefined][] = [
      [
        'an assertion and client_secret_basic',
        { client_assertion_type: ASSERTION_TYPE, client_assertion: 'x' },
        basic('secret-client', 's3cret'),
      ],
      [
        'an assertion and client_secret_post',
        {
          client_assertion_type: ASSERTION_TYPE,
          client_assertion: 'x',
          client_id: 'secret-client',
          client_secret: 's3cret',
        },
        undefined,
      ],
      [
        'client_assertion_type without client_assertion',
        { client_assertion_type: ASSERTION_TYPE },
        undefined,
      ],
      [
        'client_assertion without its type',
        { client_assertion: 'x' },
        undefined,
      ],
    ];

    it.each(cases)(
      'answers 400 invalid_request for %s',
      async (_title, form, authorization) => {
        const res = await postForm(
          app,
          '/token',
          { grant_type: 'client_credentials', ...form },
          authorization,
        );
        expect(res.status).toBe(400);
        expect(res.body.error).toBe('invalid_request');
        expect(res.body.access_token).toBeUndefined();
      },
    );

    it('answers 400 when a valid assertion comes with a valid secret', async () => {
      const res = await postForm(
        app,
        '/token',
        {
          grant_type: 'client_credentials',
          client_assertion_type: ASSERTION_TYPE,
          client_assertion: await signAssertion(keys.es, 'es-client'),
        },
        basic('secret-client', 's3cret'),
      );
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
    });
  });
});

describe('the default replay cache', () => {
  function recordingLogger() {
    const warnings: string[] = [];
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (message: string) => {
        warnings.push(message);
      },
      error: () => undefined,
    };
    return { logger, warnings };
  }

  it('is announced by a warning when a client has keys', async () => {
    const { logger, warnings } = recordingLogger();
    const service = await createTokenService({
      issuer: ISSUER,
      audience: AUDIENCE,
      logger,
      clients: [{ clientId: 'k', jwks: { keys: [keys.es.publicJwk] } }],
    });
    service.tokenEndpoints();
    service.close();

    expect(warnings).toContainEqual(
      expect.stringMatching(/replay cache is in process memory/),
    );
  });

  it('is not announced when a replayCache is given', async () => {
    const { logger, warnings } = recordingLogger();
    const service = await createTokenService({
      issuer: ISSUER,
      audience: AUDIENCE,
      logger,
      replayCache: createMemoryReplayCache(),
      clients: [{ clientId: 'k', jwks: { keys: [keys.es.publicJwk] } }],
    });
    service.tokenEndpoints();
    service.close();

    expect(warnings.filter((w) => /replay cache/.test(w))).toEqual([]);
  });
});
