import { createPublicKey, verify } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';

import { spawnDevIdp } from '../../../test-support/spawn-dev-idp.js';
import type { SpawnedDevIdp } from '../../../test-support/spawn-dev-idp.js';
import { Browser } from '../../../test-support/http-browser.js';
import type { Hop } from '../../../test-support/http-browser.js';
import {
  basicAuth,
  buildAuthRequest,
  decodeSegment,
  discover,
} from '../../../test-support/oidc-flow.js';
import type {
  AuthRequest,
  Discovery,
} from '../../../test-support/oidc-flow.js';

const CLIENT_ID = 'dev-idp-test-client';
const CLIENT_SECRET = 'dev-idp-test-secret';
// Never requested: the tests stop at the redirect that points here.
const REDIRECT_URI = 'http://127.0.0.1:9/login/dev/callback';

let idp: SpawnedDevIdp;
let discovery: Discovery;

beforeAll(async () => {
  idp = await spawnDevIdp({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: [REDIRECT_URI],
  });
  discovery = await discover(idp.issuer);
});

afterAll(async () => {
  await idp?.stop();
});

function isRedirectUri(location: string): boolean {
  return location.startsWith(`${REDIRECT_URI}?`);
}

async function openLoginPage(browser: Browser, request: AuthRequest) {
  const hop = await browser.follow(await browser.request(request.url));
  if (typeof hop === 'string') throw new Error(`unexpected redirect ${hop}`);
  return hop;
}

async function submitLogin(
  browser: Browser,
  loginPage: Hop,
  fields: { email: string; password: string },
): Promise<Hop> {
  return browser.postForm(`${loginPage.url}/login`, fields);
}

async function finishAt(browser: Browser, hop: Hop): Promise<URL> {
  const location = await browser.follow(hop, isRedirectUri);
  if (typeof location !== 'string') {
    throw new Error(
      `flow ended at ${hop.url} with ${location.response.status}`,
    );
  }

  return new URL(location);
}

async function exchangeCode(code: string, request: AuthRequest) {
  return fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: {
      authorization: basicAuth(CLIENT_ID, CLIENT_SECRET),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: request.codeVerifier,
    }).toString(),
  });
}

async function signIn(email: string, password: string) {
  const browser = new Browser();
  const request = buildAuthRequest(discovery, CLIENT_ID, REDIRECT_URI);
  const loginPage = await openLoginPage(browser, request);
  const callback = await finishAt(
    browser,
    await submitLogin(browser, loginPage, { email, password }),
  );

  const code = callback.searchParams.get('code') ?? '';
  const response = await exchangeCode(code, request);
  const tokens = (await response.json()) as Record<string, string>;
  return { request, callback, response, tokens };
}

describe('startDevIdp', () => {
  describe('discovery', () => {
    it('publishes the issuer and the code flow endpoints', () => {
      expect(discovery.issuer).toBe(idp.issuer);
      expect(idp.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      for (const endpoint of [
        discovery.authorization_endpoint,
        discovery.token_endpoint,
        discovery.jwks_uri,
        discovery.end_session_endpoint,
      ]) {
        expect(endpoint.startsWith(`${idp.issuer}/`)).toBe(true);
      }
    });

    it('supports S256 PKCE and the code response type only', () => {
      expect(discovery.code_challenge_methods_supported).toContain('S256');
      expect(discovery.response_types_supported).toEqual(['code']);
    });

    it('publishes the claims of the openid, email and profile scopes', () => {
      expect(discovery.scopes_supported).toEqual(
        expect.arrayContaining(['openid', 'email', 'profile']),
      );
      expect(discovery.claims_supported).toEqual(
        expect.arrayContaining(['sub', 'email', 'email_verified', 'name']),
      );
    });

    it('serves an RS256 signing key with a kid', async () => {
      const jwks = (await (await fetch(discovery.jwks_uri)).json()) as {
        keys: JsonWebKey[];
      };
      expect(jwks.keys).toHaveLength(1);
      expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256' });
      expect(jwks.keys[0]?.kid).toEqual(expect.any(String));
      expect(jwks.keys[0]?.d).toBeUndefined();
    });
  });

  describe('when a user signs in with the code flow', () => {
    it('shows a login form with a strict Content-Security-Policy', async () => {
      const browser = new Browser();
      const request = buildAuthRequest(discovery, CLIENT_ID, REDIRECT_URI);
      const page = await openLoginPage(browser, request);

      expect(page.url).toMatch(/\/interaction\/[\w-]+$/);
      expect(page.response.status).toBe(200);
      expect(page.body).toContain('name="email"');
      expect(page.body).toContain('name="password"');
      expect(page.body).toContain(`${new URL(page.url).pathname}/abort`);
      expect(page.response.headers.get('content-security-policy')).toMatch(
        /default-src 'none'/,
      );
    });

    it('answers a wrong password with 401 and a generic message', async () => {
      const browser = new Browser();
      const request = buildAuthRequest(discovery, CLIENT_ID, REDIRECT_URI);
      const page = await openLoginPage(browser, request);
      const fields = { email: 'alice@example.test', password: 'wrong' };
      const hop = await submitLogin(browser, page, fields);

      expect(hop.response.status).toBe(401);
      expect(hop.body).toMatch(/wrong email or password/i);
      expect(hop.body).toContain('name="password"');
    });

    it('answers an unknown email with the same generic message', async () => {
      const browser = new Browser();
      const request = buildAuthRequest(discovery, CLIENT_ID, REDIRECT_URI);
      const page = await openLoginPage(browser, request);
      const fields = { email: 'eve@example.test', password: 'alice-password' };
      const hop = await submitLogin(browser, page, fields);

      expect(hop.response.status).toBe(401);
      expect(hop.body).toMatch(/wrong email or password/i);
    });

    it('issues an ID token after a failed then a good attempt', async () => {
      const browser = new Browser();
      const request = buildAuthRequest(discovery, CLIENT_ID, REDIRECT_URI);
      const page = await openLoginPage(browser, request);
      const wrong = { email: 'alice@example.test', password: 'nope' };
      expect((await submitLogin(browser, page, wrong)).response.status).toBe(
        401,
      );

      const right = { email: 'alice@example.test', password: 'alice-password' };
      const callback = await finishAt(
        browser,
        await submitLogin(browser, page, right),
      );
      expect(callback.searchParams.get('state')).toBe(request.state);
      expect(callback.searchParams.get('iss')).toBe(idp.issuer);

      const code = callback.searchParams.get('code') ?? '';
      const response = await exchangeCode(code, request);
      expect(response.status).toBe(200);
      const tokens = (await response.json()) as Record<string, string>;
      expect(tokens.token_type).toBe('Bearer');
      expect(decodeSegment(tokens.id_token?.split('.')[1])).toMatchObject({
        iss: idp.issuer,
        aud: CLIENT_ID,
        sub: 'user-alice',
        email: 'alice@example.test',
        email_verified: true,
        name: 'Alice Example',
        nonce: request.nonce,
      });
    });

    it('signs the ID token with the published key', async () => {
      const { tokens } = await signIn('bob@example.test', 'bob-password');
      const [header = '', payload = '', signature = ''] =
        tokens.id_token?.split('.') ?? [];
      const jwks = (await (await fetch(discovery.jwks_uri)).json()) as {
        keys: JsonWebKey[];
      };
      const jwk = jwks.keys.find(
        (key) => key.kid === decodeSegment(header).kid,
      );

      const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
      const valid = verify(
        'sha256',
        Buffer.from(`${header}.${payload}`),
        key,
        Buffer.from(signature, 'base64url'),
      );
      expect(decodeSegment(header).alg).toBe('RS256');
      expect(valid).toBe(true);
    });

    it('accepts the email in any letter case', async () => {
      const { tokens } = await signIn('BOB@Example.TEST', 'bob-password');
      expect(decodeSegment(tokens.id_token?.split('.')[1]).sub).toBe(
        'user-bob',
      );
    });

    it('reports email_verified false for an unverified user', async () => {
      const { tokens } = await signIn(
        'mallory@example.test',
        'mallory-password',
      );
      expect(decodeSegment(tokens.id_token?.split('.')[1])).toMatchObject({
        sub: 'user-mallory',
        email_verified: false,
      });
    });

    it('rejects a code exchange with a wrong PKCE verifier', async () => {
      const browser = new Browser();
      const request = buildAuthRequest(discovery, CLIENT_ID, REDIRECT_URI);
      const page = await openLoginPage(browser, request);
      const fields = {
        email: 'alice@example.test',
        password: 'alice-password',
      };
      const callback = await finishAt(
        browser,
        await submitLogin(browser, page, fields),
      );

      const code = callback.searchParams.get('code') ?? '';
      const response = await exchangeCode(code, {
        ...request,
        codeVerifier: 'x'.repeat(43),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
    });
  });

  describe('when the client asks for consent', () => {
    it('grants it without a consent page', async () => {
      const browser = new Browser();
      const request = buildAuthRequest(discovery, CLIENT_ID, REDIRECT_URI, {
        prompt: 'consent',
      });
      const page = await openLoginPage(browser, request);
      const fields = { email: 'bob@example.test', password: 'bob-password' };
      const callback = await finishAt(
        browser,
        await submitLogin(browser, page, fields),
      );

      expect(callback.searchParams.get('state')).toBe(request.state);
      const code = callback.searchParams.get('code') ?? '';
      expect((await exchangeCode(code, request)).status).toBe(200);
    });
  });

  describe('when the user cancels', () => {
    it('redirects to the client with error=access_denied', async () => {
      const browser = new Browser();
      const request = buildAuthRequest(discovery, CLIENT_ID, REDIRECT_URI);
      const page = await openLoginPage(browser, request);
      const callback = await finishAt(
        browser,
        await browser.request(`${page.url}/abort`),
      );

      expect(callback.searchParams.get('error')).toBe('access_denied');
      expect(callback.searchParams.get('state')).toBe(request.state);
      expect(callback.searchParams.get('code')).toBeNull();
    });
  });

  describe('when a request is not acceptable', () => {
    it('refuses a redirect_uri that the client did not register', async () => {
      const browser = new Browser();
      const other = 'http://127.0.0.1:9/elsewhere';
      const request = buildAuthRequest(discovery, CLIENT_ID, other);
      const hop = await browser.request(request.url);

      expect(hop.response.status).toBe(400);
      expect(hop.response.headers.get('location')).toBeNull();
    });

    it('refuses a login posted without the interaction cookie', async () => {
      const browser = new Browser();
      const request = buildAuthRequest(discovery, CLIENT_ID, REDIRECT_URI);
      const page = await openLoginPage(browser, request);
      const fields = {
        email: 'alice@example.test',
        password: 'alice-password',
      };
      const hop = await new Browser().postForm(`${page.url}/login`, fields);

      expect(hop.response.status).toBe(400);
      expect(hop.response.headers.get('location')).toBeNull();
    });

    it('refuses a token request with a wrong client secret', async () => {
      const response = await fetch(discovery.token_endpoint, {
        method: 'POST',
        headers: {
          authorization: basicAuth(CLIENT_ID, 'not-the-secret'),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=authorization_code&code=x&redirect_uri=x',
      });

      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: 'invalid_client' });
    });
  });
});

describe('spawnDevIdp', () => {
  it('rejects with the CLI error when the IdP cannot start', async () => {
    const start = spawnDevIdp({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUris: [],
    });

    await expect(start).rejects.toThrow(/--redirect-uri is required/);
  });

  it('stops the IdP so that its port refuses connections', async () => {
    const other = await spawnDevIdp({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUris: [REDIRECT_URI],
    });
    await other.stop();

    await expect(discover(other.issuer)).rejects.toThrow();
  });
});
