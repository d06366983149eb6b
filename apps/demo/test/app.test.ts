import { startDemo } from './helpers/demo-app.js';
import type { RunningDemo } from './helpers/demo-app.js';

describe('createDemoApp', () => {
  let demo: RunningDemo;

  beforeAll(async () => {
    demo = await startDemo();
  });

  afterAll(async () => {
    await demo?.close();
  });

  it('offers the local IdP, and no Google button when Google is not configured', async () => {
    const res = await fetch(`${demo.url}/`);
    const html = await res.text();

    expect(res.status).toBe(200);
    expect(html).toContain('Sign in with the local test IdP');
    expect(html).not.toContain('Sign in with Google');
    expect(html).toContain('alice@example.test');
  });

  it('sends security headers from helmet', async () => {
    const res = await fetch(`${demo.url}/`);

    expect(res.headers.get('content-security-policy')).toContain(
      "script-src 'self'",
    );
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('sends a signed-out visitor from the profile page home', async () => {
    const res = await fetch(`${demo.url}/profile`, { redirect: 'manual' });

    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
  });

  it('answers /api/me without a session with 401 and a bare Bearer challenge', async () => {
    const res = await fetch(`${demo.url}/api/me`);

    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('refuses a forged bearer token on /api/me without echoing it', async () => {
    const forged = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.';
    const res = await fetch(`${demo.url}/api/me`, {
      headers: { authorization: `Bearer ${forged}` },
    });
    const body = await res.text();

    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain(
      'error="invalid_token"',
    );
    expect(body).not.toContain(forged);
    expect(body).not.toMatch(/at .*\.ts/);
  });

  it('publishes the token service JWKS with public keys only', async () => {
    const res = await fetch(`${demo.url}/.well-known/jwks.json`);
    const jwks = (await res.json()) as { keys: Record<string, unknown>[] };

    expect(res.status).toBe(200);
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({
      kty: 'EC',
      crv: 'P-256',
      alg: 'ES256',
    });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it.each([
    ['a cross-site form post', { 'sec-fetch-site': 'cross-site' }],
    ['a post from another origin', { origin: 'http://evil.example' }],
    ['a post with neither header', {}],
    [
      'a same-origin post without a CSRF token',
      { 'sec-fetch-site': 'same-origin' },
    ],
  ])('refuses %s to /logout with 403', async (_name, headers) => {
    const res = await fetch(`${demo.url}/logout`, {
      method: 'POST',
      headers,
      redirect: 'manual',
    });

    expect(res.status).toBe(403);
  });

  it('answers an unknown path with a plain 404', async () => {
    const res = await fetch(`${demo.url}/nowhere`);

    expect(res.status).toBe(404);
    expect(await res.text()).toBe('not found');
  });
});

describe('createDemoApp with Google configured', () => {
  it('shows "Sign in with Google" first', async () => {
    const demo = await startDemo(true);
    try {
      const html = await (await fetch(`${demo.url}/`)).text();

      expect(html).toContain('Sign in with Google');
      expect(html.indexOf('login-google')).toBeLessThan(
        html.indexOf('login-dev'),
      );
    } finally {
      await demo.close();
    }
  });
});
