/**
 * Interop with a real oidc-provider (the dev IdP in a child process): its
 * RFC 9068 JWT access tokens and its ID tokens verify against its JWKS
 * found through discovery, and the same tokens with one byte changed do
 * not.
 */

import { spawnDevIdp } from '../../../test-support/spawn-dev-idp.js';
import type { SpawnedDevIdp } from '../../../test-support/spawn-dev-idp.js';
import { createVerifier } from '../src/verifier.js';
import type { VerifierOptions } from '../src/options.js';
import { signInAtDevIdp } from './helpers/oidc-login.js';

const API = 'https://api.example.test';
const CLIENT = {
  clientId: 'jwt-guard-interop',
  clientSecret: 'jwt-guard-interop-secret',
  // Never requested: the flow stops at the redirect that points here.
  redirectUri: 'http://127.0.0.1:9/callback',
};

let idp: SpawnedDevIdp;
let idToken: string;
let accessToken: string;

beforeAll(async () => {
  idp = await spawnDevIdp({
    clientId: CLIENT.clientId,
    clientSecret: CLIENT.clientSecret,
    redirectUris: [CLIENT.redirectUri],
    apiAudience: API,
  });
  const tokens = await signInAtDevIdp(
    idp.issuer,
    CLIENT,
    'alice@example.test',
    'alice-password',
    'openid email profile api:read',
  );
  idToken = tokens.id_token as string;
  accessToken = tokens.access_token as string;
}, 60_000);

afterAll(async () => {
  await idp?.stop();
});

function options(overrides: Partial<VerifierOptions> = {}): VerifierOptions {
  return {
    issuer: idp.issuer,
    discovery: true,
    audience: CLIENT.clientId,
    algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
    ...overrides,
  };
}

function changeByte(token: string, index: number): string {
  const parts = token.split('.');
  const part = index % 3;
  const bytes = Buffer.from(parts[part] as string, 'base64url');
  const at = Math.floor(bytes.length / 2);
  bytes[at] = (bytes[at] as number) ^ 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    return (error as { reason: string }).reason;
  }
}

describe('createVerifier with the dev IdP (oidc-provider)', () => {
  it('verifies its JWT access token as an RFC 9068 at+jwt for the API', async () => {
    const verifier = createVerifier(
      options({ audience: API, requiredType: 'at+jwt', profile: 'rfc9068' }),
    );
    const auth = await verifier.verify(accessToken);

    expect(auth.claims).toMatchObject({
      iss: idp.issuer,
      aud: API,
      sub: 'user-alice',
      client_id: CLIENT.clientId,
    });
    expect(auth.scopes).toEqual(['api:read']);
  });

  it.each([
    ['header', 0],
    ['payload', 1],
    ['signature', 2],
  ])(
    'refuses the access token with one byte of its %s changed',
    async (_, index) => {
      const verifier = createVerifier(options({ audience: API }));

      await expect(
        outcome(verifier.verify(changeByte(accessToken, index))),
      ).resolves.not.toBe('OK');
    },
  );

  it('verifies its ID token through discovery and its JWKS', async () => {
    const auth = await createVerifier(options()).verify(idToken);

    expect(auth.claims).toMatchObject({
      iss: idp.issuer,
      aud: CLIENT.clientId,
      sub: 'user-alice',
    });
  });

  it.each([
    ['header', 0],
    ['payload', 1],
    ['signature', 2],
  ])('refuses the token with one byte of its %s changed', async (_, index) => {
    const verifier = createVerifier(options());

    await expect(
      outcome(verifier.verify(changeByte(idToken, index))),
    ).resolves.not.toBe('OK');
  });

  it('refuses the ID token where an at+jwt access token is required', async () => {
    const verifier = createVerifier(options({ requiredType: 'at+jwt' }));

    await expect(outcome(verifier.verify(idToken))).resolves.toBe(
      'JWT_GUARD_TYPE_MISMATCH',
    );
  });

  it('refuses the ID token for another audience', async () => {
    const verifier = createVerifier(options({ audience: 'someone-else' }));

    await expect(outcome(verifier.verify(idToken))).resolves.toBe(
      'JWT_GUARD_AUDIENCE_MISMATCH',
    );
  });
});
