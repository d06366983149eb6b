import { Browser } from '../../../test-support/http-browser.js';
import { startLoginHarness } from './helpers/login-app.js';
import type { LoginHarness } from './helpers/login-app.js';
import { loginAtIdp, whoAmI } from './helpers/login-steps.js';
import type { LoginAtIdpOptions } from './helpers/login-steps.js';
import type { Hop } from '../../../test-support/http-browser.js';

let harness: LoginHarness;

beforeAll(async () => {
  harness = await startLoginHarness();
});

afterAll(async () => {
  await harness?.close();
});

beforeEach(() => {
  harness.resolved.length = 0;
  harness.events.length = 0;
  harness.answer.value = { id: 'local-1' };
});

function login(browser: Browser, options: LoginAtIdpOptions = {}) {
  return loginAtIdp(browser, harness.baseUrl, options);
}

function sessionCookie(browser: Browser): string | undefined {
  return browser.cookies.get('portcullis.sid');
}

function failedCodes(): unknown[] {
  return harness.events
    .filter((event) => event.type === 'auth.login.failed')
    .map((event) => (event as { code?: unknown }).code);
}

describe('createFederatedLogin against the dev IdP', () => {
  it('sends an authorization request with PKCE S256, state and nonce', async () => {
    const hop = await new Browser().request(`${harness.baseUrl}/login/dev`);
    const location = new URL(hop.response.headers.get('location')!);

    expect(hop.response.status).toBe(302);
    expect(location.origin).toBe(harness.idp.issuer);
    expect(location.searchParams.get('response_type')).toBe('code');
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(location.searchParams.get('state')).toMatch(/^[\w-]{40,}$/);
    expect(location.searchParams.get('nonce')).toMatch(/^[\w-]{40,}$/);
    expect(location.searchParams.get('redirect_uri')).toBe(
      `${harness.baseUrl}/login/dev/callback`,
    );
  });

  it('signs the user in on a new session id with a normalised profile', async () => {
    const browser = new Browser();
    const callbackUrl = await login(browser);
    const before = sessionCookie(browser);
    const callback = await browser.request(callbackUrl);

    expect(callback.response.status).toBe(303);
    expect(callback.response.headers.get('location')).toBe('/me');
    expect(sessionCookie(browser)).toBeDefined();
    expect(sessionCookie(browser)).not.toBe(before);
    expect(harness.resolved).toHaveLength(1);
    expect(harness.resolved[0]).toMatchObject({
      provider: 'dev',
      issuer: harness.idp.issuer,
      subject: 'user-alice',
      email: 'alice@example.test',
      emailVerified: true,
      name: 'Alice Example',
    });
    expect(await whoAmI(browser, harness.baseUrl)).toMatchObject({
      user: { id: 'local-1' },
      login: { provider: 'dev', subject: 'user-alice' },
    });
    expect(harness.events.map((e) => e.type)).toContain('auth.login.succeeded');
  });

  it('reports an unverified email as unverified', async () => {
    const browser = new Browser();
    await browser.request(
      await login(browser, {
        email: 'mallory@example.test',
        password: 'mallory-password',
      }),
    );

    expect(harness.resolved[0]?.emailVerified).toBe(false);
  });

  describe('when the response is tampered with or out of place', () => {
    it.each<[string, LoginAtIdpOptions, (url: URL) => void, string]>([
      [
        'a changed state',
        {},
        (url) => url.searchParams.set('state', 'x'.repeat(43)),
        'LOGIN_STATE_MISMATCH',
      ],
      [
        'a missing state',
        {},
        (url) => url.searchParams.delete('state'),
        'LOGIN_STATE_MISMATCH',
      ],
      [
        'a forged code',
        {},
        (url) => url.searchParams.set('code', 'forged'),
        'LOGIN_CODE_REJECTED',
      ],
      [
        'a wrong iss',
        {},
        (url) => url.searchParams.set('iss', 'https://evil.example'),
        'LOGIN_ISSUER_MISMATCH',
      ],
      [
        'a missing iss from an IdP that sends it',
        {},
        (url) => url.searchParams.delete('iss'),
        'LOGIN_ISSUER_MISMATCH',
      ],
      [
        'an ID token for another nonce',
        {
          tamperAuthorization: (url) =>
            url.searchParams.set('nonce', 'n'.repeat(43)),
        },
        () => undefined,
        'LOGIN_RESPONSE_INVALID',
      ],
      [
        'an ID token without a nonce',
        { tamperAuthorization: (url) => url.searchParams.delete('nonce') },
        () => undefined,
        'LOGIN_RESPONSE_INVALID',
      ],
      [
        'a code bound to another PKCE challenge',
        {
          tamperAuthorization: (url) =>
            url.searchParams.set('code_challenge', 'c'.repeat(43)),
        },
        () => undefined,
        'LOGIN_CODE_REJECTED',
      ],
    ])(
      'refuses %s with 400, no session and no resolveUser',
      async (_name, steps, tamper, code) => {
        const browser = new Browser();
        const callbackUrl = new URL(await login(browser, steps));
        tamper(callbackUrl);
        const hop = await browser.request(callbackUrl.href);

        expect(hop.response.status).toBe(400);
        expect(hop.body).toContain(code);
        expect(hop.body).toContain('href="/login/dev"');
        expect(hop.body).not.toMatch(/at \/|Error:|ECONN|oauth/i);
        expect(harness.resolved).toHaveLength(0);
        expect(await whoAmI(browser, harness.baseUrl)).toEqual({
          user: null,
          login: null,
        });
        expect(failedCodes()).toEqual([code]);
      },
    );

    it('refuses a response for one provider delivered to another', async () => {
      const browser = new Browser();
      const callbackUrl = new URL(await login(browser));
      callbackUrl.pathname = '/login/dev2/callback';
      const hop = await browser.request(callbackUrl.href);

      expect(hop.response.status).toBe(400);
      expect(hop.body).toContain('LOGIN_STATE_MISMATCH');
      expect(harness.resolved).toHaveLength(0);
    });

    it('refuses a callback replayed after a successful login', async () => {
      const browser = new Browser();
      const callbackUrl = await login(browser);
      await browser.request(callbackUrl);
      const replay = await browser.request(callbackUrl);

      expect(replay.response.status).toBe(400);
      expect(replay.body).toContain('LOGIN_TRANSACTION_MISSING');
      expect(harness.resolved).toHaveLength(1);
    });

    it('explains a callback that arrives without its login transaction', async () => {
      const callbackUrl = await login(new Browser());
      const stranger = await new Browser().request(callbackUrl);

      expect(stranger.response.status).toBe(400);
      expect(stranger.body).toContain('LOGIN_TRANSACTION_MISSING');
      expect(stranger.body).toContain('Cookies may be blocked');
      expect(stranger.body).toContain('href="/login/dev"');
      expect(harness.resolved).toHaveLength(0);
    });
  });

  describe('when several logins run at once', () => {
    it('finishes two logins started in two tabs, in reverse order', async () => {
      const browser = new Browser();
      const first = await login(browser);
      const second = await login(browser, { provider: 'dev2' });

      const secondHop = await browser.request(second);
      const firstHop = await browser.request(first);

      expect(secondHop.response.status).toBe(303);
      expect(firstHop.response.status).toBe(303);
      expect(harness.resolved.map((p) => [p.provider, p.subject])).toEqual([
        ['dev2', 'user-alice'],
        ['dev', 'user-alice'],
      ]);
      expect(await whoAmI(browser, harness.baseUrl)).toMatchObject({
        login: { provider: 'dev', subject: 'user-alice' },
      });
    });
  });

  it('shows LOGIN_CANCELLED when the user cancels at the IdP', async () => {
    const browser = new Browser();
    const start = await browser.request(`${harness.baseUrl}/login/dev`);
    const page = (await browser.follow(start)) as Hop;
    const abort = await browser.request(`${page.url}/abort`);
    const end = (await browser.follow(abort)) as Hop;

    expect(end.response.status).toBe(400);
    expect(end.body).toContain('LOGIN_CANCELLED');
    expect(end.body).toContain('cancelled');
    expect(harness.resolved).toHaveLength(0);
    expect(failedCodes()).toEqual(['LOGIN_CANCELLED']);
  });

  it('shows LOGIN_IDP_ERROR for another error response of the IdP', async () => {
    const browser = new Browser();
    const callbackUrl = new URL(await login(browser));
    callbackUrl.searchParams.delete('code');
    callbackUrl.searchParams.set('error', 'server_error');
    callbackUrl.searchParams.set('error_description', '<script>x</script>');
    const hop = await browser.request(callbackUrl.href);

    expect(hop.response.status).toBe(400);
    expect(hop.body).toContain('LOGIN_IDP_ERROR');
    expect(hop.body).not.toContain('<script>');
  });

  describe('when the application decides', () => {
    it('refuses the login when resolveUser answers false', async () => {
      harness.answer.value = false;
      const browser = new Browser();
      const hop = await browser.request(await login(browser));

      expect(hop.response.status).toBe(403);
      expect(hop.body).toContain('LOGIN_REFUSED');
      expect(await whoAmI(browser, harness.baseUrl)).toEqual({
        user: null,
        login: null,
      });
    });
  });

  it('starts a login even when the start URL carries callback parameters', async () => {
    const hop = await new Browser().request(
      `${harness.baseUrl}/login/dev?code=x&state=y&error=access_denied`,
    );

    expect(hop.response.status).toBe(302);
    expect(hop.response.headers.get('location')).toContain(harness.idp.issuer);
  });

  it('answers a callback without a result with 400 and keeps the login going', async () => {
    const browser = new Browser();
    const callbackUrl = await login(browser);
    const bare = await browser.request(`${harness.baseUrl}/login/dev/callback`);
    const real = await browser.request(callbackUrl);

    expect(bare.response.status).toBe(400);
    expect(bare.body).toContain('LOGIN_RESPONSE_INVALID');
    expect(real.response.status).toBe(303);
    expect(harness.resolved).toHaveLength(1);
  });

  it.each(['/login/dev', '/login/dev/callback?code=x&state=y'])(
    'answers HEAD %s with 405, starting nothing and auditing nothing',
    async (path) => {
      const hop = await new Browser().request(`${harness.baseUrl}${path}`, {
        method: 'HEAD',
      });

      expect(hop.response.status).toBe(405);
      expect(hop.response.headers.get('allow')).toBe('GET');
      expect(hop.response.headers.get('set-cookie')).toBeNull();
      expect(harness.events).toHaveLength(0);
    },
  );

  it('answers 404 for an unknown provider', async () => {
    const hop = await new Browser().request(`${harness.baseUrl}/login/nope`);

    expect(hop.response.status).toBe(404);
    expect(hop.body).toContain('LOGIN_UNKNOWN_PROVIDER');
  });

  it('answers 503 when the IdP cannot be reached', async () => {
    const hop = await new Browser().request(`${harness.baseUrl}/login/down`);

    expect(hop.response.status).toBe(503);
    expect(hop.body).toContain('LOGIN_IDP_UNAVAILABLE');
    expect(hop.body).not.toContain('ECONNREFUSED');
    expect(harness.events).toContainEqual(
      expect.objectContaining({
        type: 'auth.login.failed',
        provider: 'down',
        code: 'LOGIN_IDP_UNAVAILABLE',
      }),
    );
  });
});
