import type { JWK } from 'jose';

import {
  auth0,
  cognito,
  entraId,
  google,
  keycloak,
  okta,
  portcullis,
} from '../src/presets.js';
import type { VerifierOptions } from '../src/options.js';
import { createVerifier } from '../src/verifier.js';
import { createSigner, nowSeconds } from './helpers/keys.js';
import type { TestSigner } from './helpers/keys.js';

const TENANT_A = '11111111-2222-3333-4444-555555555555';
const TENANT_B = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

let rsa: TestSigner;
let es: TestSigner;

beforeAll(async () => {
  rsa = await createSigner('RS256');
  es = await createSigner('ES256');
});

// Swaps each remote JWKS for a local set, keeping everything else.
function withLocalKeys(options: VerifierOptions, keys: JWK[]): VerifierOptions {
  if (options.issuers !== undefined) {
    return {
      ...options,
      issuers: options.issuers.map((entry) => ({
        ...entry,
        jwksUri: undefined,
        jwks: { keys },
      })),
    };
  }

  return { ...options, jwksUri: undefined, jwks: { keys } };
}

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    return (error as { reason: string }).reason;
  }
}

function times() {
  const now = nowSeconds();
  return { iat: now, exp: now + 300 };
}

describe('presets', () => {
  describe('the options they produce', () => {
    it('auth0', () => {
      expect(
        auth0({ domain: 'acme.eu.auth0.com', audience: 'https://api' }),
      ).toEqual({
        issuer: 'https://acme.eu.auth0.com/',
        jwksUri: 'https://acme.eu.auth0.com/.well-known/jwks.json',
        audience: 'https://api',
        algorithms: ['RS256'],
        scopeClaims: ['scope', 'permissions'],
      });
    });

    it('cognito', () => {
      const options = cognito({
        region: 'eu-west-1',
        userPoolId: 'eu-west-1_AbC123',
        clientIds: ['client-a'],
      });

      expect(options).toEqual({
        issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123',
        jwksUri:
          'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123/.well-known/jwks.json',
        audience: ['client-a'],
        audienceClaim: 'client_id',
        algorithms: ['RS256'],
        claimValues: { token_use: 'access' },
        scopeClaims: ['scope'],
      });
    });

    it('entraId', () => {
      expect(
        entraId({ tenants: [TENANT_A, TENANT_B], audience: 'api://x' }),
      ).toEqual({
        audience: 'api://x',
        algorithms: ['RS256'],
        scopeClaims: ['scp'],
        issuers: [TENANT_A, TENANT_B].map((tenant) => ({
          issuer: `https://login.microsoftonline.com/${tenant}/v2.0`,
          jwksUri: `https://login.microsoftonline.com/${tenant}/discovery/v2.0/keys`,
        })),
      });
    });

    it('google', () => {
      expect(google({ audience: 'client.apps.googleusercontent.com' })).toEqual(
        {
          issuer: 'https://accounts.google.com',
          jwksUri: 'https://www.googleapis.com/oauth2/v3/certs',
          audience: 'client.apps.googleusercontent.com',
          algorithms: ['RS256'],
        },
      );
    });

    it('keycloak', () => {
      expect(
        keycloak({
          baseUrl: 'https://sso.example.com/',
          realm: 'main',
          audience: 'api',
        }),
      ).toEqual({
        issuer: 'https://sso.example.com/realms/main',
        jwksUri:
          'https://sso.example.com/realms/main/protocol/openid-connect/certs',
        audience: 'api',
        algorithms: ['RS256'],
        scopeClaims: ['scope'],
      });
    });

    it('okta', () => {
      expect(okta({ domain: 'acme.okta.com' })).toEqual({
        issuer: 'https://acme.okta.com/oauth2/default',
        jwksUri: 'https://acme.okta.com/oauth2/default/v1/keys',
        audience: 'api://default',
        algorithms: ['RS256'],
        scopeClaims: ['scp'],
      });
    });

    it('portcullis', () => {
      expect(
        portcullis({ issuer: 'https://auth.example.com', audience: 'api' }),
      ).toEqual({
        issuer: 'https://auth.example.com',
        jwksUri: 'https://auth.example.com/.well-known/jwks.json',
        audience: 'api',
        algorithms: ['ES256', 'EdDSA', 'RS256'],
        requiredType: 'at+jwt',
        scopeClaims: ['scope'],
      });
    });

    it.each<[string, () => unknown, string]>([
      ['auth0 without domain', () => auth0({} as never), 'auth0.domain'],
      [
        'auth0 with a URL as domain',
        () => auth0({ domain: 'https://x.com', audience: 'a' }),
        'auth0.domain',
      ],
      [
        'auth0 without audience',
        () => auth0({ domain: 'a.auth0.com' } as never),
        'auth0.audience',
      ],
      [
        'cognito with a bad region',
        () =>
          cognito({ region: 'x', userPoolId: 'eu-west-1_A', clientIds: 'c' }),
        'cognito.region',
      ],
      [
        'cognito with a pool of another region',
        () =>
          cognito({
            region: 'us-east-1',
            userPoolId: 'eu-west-1_A',
            clientIds: 'c',
          }),
        'cognito.userPoolId',
      ],
      [
        'entraId without tenants',
        () => entraId({ tenants: [], audience: 'a' }),
        'entraId.tenants',
      ],
      [
        'entraId with common',
        () => entraId({ tenants: ['common'], audience: 'a' }),
        'entraId.tenants[0]',
      ],
      [
        'entraId with organizations',
        () => entraId({ tenants: [TENANT_A, 'organizations'], audience: 'a' }),
        'entraId.tenants[1]',
      ],
      ['google without audience', () => google({} as never), 'google.audience'],
      [
        'keycloak with a bad realm',
        () => keycloak({ baseUrl: 'https://a.b', realm: 'a/b', audience: 'x' }),
        'keycloak.realm',
      ],
      ['okta without domain', () => okta({} as never), 'okta.domain'],
      [
        'portcullis without issuer',
        () => portcullis({} as never),
        'portcullis.issuer',
      ],
    ])('refuses %s', (_, make, path) => {
      expect(make).toThrow(`option "${path}"`);
    });

    it.each([
      auth0({ domain: 'a.auth0.com', audience: 'x' }),
      cognito({
        region: 'eu-west-1',
        userPoolId: 'eu-west-1_A',
        clientIds: 'c',
      }),
      entraId({ tenants: [TENANT_A], audience: 'x' }),
      google({ audience: 'x' }),
      keycloak({ baseUrl: 'https://a.b', realm: 'r', audience: 'x' }),
      okta({ domain: 'a.okta.com' }),
      portcullis({ issuer: 'https://a.b', audience: 'x' }),
    ])('produces options the verifier accepts (%#)', (options) => {
      expect(() => createVerifier(options).close()).not.toThrow();
    });
  });

  describe('with tokens shaped like each provider', () => {
    it('auth0 admits its tokens and reads permissions as scopes', async () => {
      const options = auth0({
        domain: 'acme.auth0.com',
        audience: 'https://api',
      });
      const verifier = createVerifier(withLocalKeys(options, [rsa.publicJwk]));
      const token = await rsa.sign(
        {
          iss: 'https://acme.auth0.com/',
          aud: ['https://api', 'https://acme.auth0.com/userinfo'],
          sub: 'auth0|1',
          azp: 'client',
          scope: 'openid',
          permissions: ['read:items'],
          ...times(),
        },
        { typ: 'JWT' },
      );
      const noSlash = await rsa.sign(
        { iss: 'https://acme.auth0.com', aud: 'https://api', ...times() },
        { typ: 'JWT' },
      );

      const auth = await verifier.verify(token);

      expect(auth.scopes).toEqual(['openid', 'read:items']);
      await expect(outcome(verifier.verify(noSlash))).resolves.toBe(
        'JWT_GUARD_ISSUER_UNKNOWN',
      );
    });

    it('cognito checks client_id and token_use, not aud', async () => {
      const options = cognito({
        region: 'eu-west-1',
        userPoolId: 'eu-west-1_AbC123',
        clientIds: 'client-a',
      });
      const verifier = createVerifier(withLocalKeys(options, [rsa.publicJwk]));
      const base = {
        iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123',
        sub: 'u',
        scope: 'aws.cognito.signin.user.admin',
        ...times(),
      };
      const access = await rsa.sign(
        { ...base, client_id: 'client-a', token_use: 'access' },
        { typ: undefined },
      );
      const idToken = await rsa.sign(
        { ...base, aud: 'client-a', token_use: 'id' },
        { typ: undefined },
      );
      const otherClient = await rsa.sign({
        ...base,
        client_id: 'client-b',
        token_use: 'access',
      });

      const results = await Promise.all(
        [access, idToken, otherClient].map((t) => outcome(verifier.verify(t))),
      );

      expect(results).toEqual([
        'OK',
        'JWT_GUARD_AUDIENCE_MISMATCH',
        'JWT_GUARD_AUDIENCE_MISMATCH',
      ]);
    });

    it('entraId admits listed tenants only, each with its own keys', async () => {
      const options = entraId({ tenants: [TENANT_A], audience: 'api://x' });
      const verifier = createVerifier(withLocalKeys(options, [rsa.publicJwk]));
      const claims = (tenant: string) => ({
        iss: `https://login.microsoftonline.com/${tenant}/v2.0`,
        aud: 'api://x',
        tid: tenant,
        scp: 'Items.Read Items.Write',
        ...times(),
      });

      const auth = await verifier.verify(
        await rsa.sign(claims(TENANT_A), { typ: 'JWT' }),
      );
      const other = await outcome(
        verifier.verify(await rsa.sign(claims(TENANT_B))),
      );

      expect(auth.scopes).toEqual(['Items.Read', 'Items.Write']);
      expect(other).toBe('JWT_GUARD_ISSUER_UNKNOWN');
    });

    it('google admits an RS256 token for its audience', async () => {
      const options = google({ audience: 'https://service.run.app' });
      const verifier = createVerifier(withLocalKeys(options, [rsa.publicJwk]));
      const token = await rsa.sign(
        {
          iss: 'https://accounts.google.com',
          aud: 'https://service.run.app',
          sub: '1234',
          email: 'sa@project.iam.gserviceaccount.com',
          ...times(),
        },
        { typ: 'JWT' },
      );

      await expect(outcome(verifier.verify(token))).resolves.toBe('OK');
    });

    it('keycloak admits a realm token', async () => {
      const options = keycloak({
        baseUrl: 'https://sso.example.com',
        realm: 'main',
        audience: 'api',
      });
      const verifier = createVerifier(withLocalKeys(options, [rsa.publicJwk]));
      const token = await rsa.sign(
        {
          iss: 'https://sso.example.com/realms/main',
          aud: ['api', 'account'],
          azp: 'web',
          scope: 'openid profile',
          ...times(),
        },
        { typ: 'JWT' },
      );

      await expect(verifier.verify(token)).resolves.toMatchObject({
        scopes: ['openid', 'profile'],
      });
    });

    it('okta reads the scp array', async () => {
      const options = okta({ domain: 'acme.okta.com' });
      const verifier = createVerifier(withLocalKeys(options, [rsa.publicJwk]));
      const token = await rsa.sign(
        {
          iss: 'https://acme.okta.com/oauth2/default',
          aud: 'api://default',
          cid: 'client',
          scp: ['openid', 'items:read'],
          ...times(),
        },
        { typ: 'JWT' },
      );

      await expect(verifier.verify(token)).resolves.toMatchObject({
        scopes: ['openid', 'items:read'],
      });
    });

    it('portcullis requires at+jwt, admits ES256 and RS256, refuses PS256', async () => {
      const options = portcullis({
        issuer: 'https://auth.example.com',
        audience: 'api',
      });
      const ps = await createSigner('PS256');
      const verifier = createVerifier(
        withLocalKeys(options, [es.publicJwk, rsa.publicJwk, ps.publicJwk]),
      );
      const claims = {
        iss: 'https://auth.example.com',
        aud: 'api',
        sub: 'u',
        ...times(),
      };

      const results = await Promise.all(
        [
          es.sign(claims),
          es.sign(claims, { typ: 'JWT' }),
          rsa.sign(claims),
          ps.sign(claims),
        ].map(async (t) => outcome(verifier.verify(await t))),
      );

      expect(results).toEqual([
        'OK',
        'JWT_GUARD_TYPE_MISMATCH',
        'OK',
        'JWT_GUARD_ALG_NOT_ALLOWED',
      ]);
    });
  });
});

describe('presets merged into one verifier through issuers', () => {
  it('keeps each provider quirks for its own issuer', async () => {
    const a = auth0({ domain: 'acme.auth0.com', audience: 'https://api' });
    const c = cognito({
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_AbC123',
      clientIds: 'client-a',
    });
    const { issuer: _i1, jwksUri: _j1, ...auth0Rules } = a;
    const { issuer: _i2, jwksUri: _j2, ...cognitoRules } = c;
    const verifier = createVerifier({
      issuers: [
        {
          issuer: a.issuer as string,
          jwks: { keys: [rsa.publicJwk] },
          ...auth0Rules,
        },
        {
          issuer: c.issuer as string,
          jwks: { keys: [es.publicJwk] },
          ...cognitoRules,
          algorithms: ['ES256'],
        },
      ],
    });
    const now = nowSeconds();
    const auth0Token = await rsa.sign({
      iss: a.issuer,
      aud: 'https://api',
      permissions: ['read:items'],
      iat: now,
      exp: now + 60,
    });
    const cognitoToken = await es.sign({
      iss: c.issuer,
      client_id: 'client-a',
      token_use: 'access',
      scope: 'items/read',
      iat: now,
      exp: now + 60,
    });
    const cognitoIdToken = await es.sign({
      iss: c.issuer,
      aud: 'client-a',
      client_id: 'client-a',
      token_use: 'id',
      iat: now,
      exp: now + 60,
    });

    await expect(verifier.verify(auth0Token)).resolves.toMatchObject({
      scopes: ['read:items'],
    });
    await expect(verifier.verify(cognitoToken)).resolves.toMatchObject({
      scopes: ['items/read'],
    });
    await expect(outcome(verifier.verify(cognitoIdToken))).resolves.toBe(
      'JWT_GUARD_CLAIM_INVALID',
    );
  });

  it('names a bad per-issuer rule by its path', () => {
    expect(() =>
      createVerifier({
        audience: 'a',
        algorithms: ['ES256'],
        issuers: [
          { issuer: 'https://a.example.com', jwks: { keys: [] } },
          {
            issuer: 'https://b.example.com',
            jwks: { keys: [] },
            scopeClaims: ['roles'],
          } as never,
        ],
      }),
    ).toThrow('option "issuers[1].scopeClaims[0]"');
  });
});
