import { Browser } from '../../../test-support/http-browser.js';
import { entraProvider, googleProvider } from '../src/index.js';
import { startLoginHarness } from './helpers/login-app.js';
import type { LoginHarness } from './helpers/login-app.js';
import { loginAtIdp, whoAmI } from './helpers/login-steps.js';

const BOB = { email: 'bob@example.test', password: 'bob-password' };
const MALLORY = { email: 'mallory@example.test', password: 'mallory-password' };

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
});

async function finish(provider: string, user = {}) {
  const browser = new Browser();
  const callbackUrl = await loginAtIdp(browser, harness.baseUrl, {
    provider,
    ...user,
  });
  const hop = await browser.request(callbackUrl);
  return { hop, browser };
}

describe('googleProvider against a stand-in issuer', () => {
  it('asks Google to preselect the hosted domain', async () => {
    const hop = await new Browser().request(`${harness.baseUrl}/login/google`);
    const location = new URL(hop.response.headers.get('location')!);

    expect(location.searchParams.get('hd')).toBe('example.test');
  });

  it('signs in an account whose hd claim is allowed', async () => {
    const { hop } = await finish('google');

    expect(hop.response.status).toBe(303);
    expect(harness.resolved[0]).toMatchObject({
      provider: 'google',
      subject: 'user-alice',
      emailVerified: true,
      claims: expect.objectContaining({ hd: 'example.test' }),
    });
  });

  it.each([
    ['another hosted domain', BOB],
    ['no hd claim, whatever the email says', MALLORY],
  ])('refuses %s with 403 and no resolveUser', async (_name, user) => {
    const { hop, browser } = await finish('google', user);

    expect(hop.response.status).toBe(403);
    expect(hop.body).toContain('LOGIN_DOMAIN_NOT_ALLOWED');
    expect(harness.resolved).toHaveLength(0);
    expect(await whoAmI(browser, harness.baseUrl)).toEqual({
      user: null,
      login: null,
    });
  });

  it('refuses an empty hostedDomains list at startup', () => {
    expect(() =>
      googleProvider({ clientId: 'a', clientSecret: 'b', hostedDomains: [] }),
    ).toThrow(/"hostedDomains"/);
  });
});

describe('entraProvider against a stand-in issuer', () => {
  it('signs in a user of an allowed tenant, with the email unverified', async () => {
    const { hop } = await finish('entra');

    expect(hop.response.status).toBe(303);
    expect(harness.resolved[0]).toMatchObject({
      provider: 'entra',
      subject: 'user-alice',
      email: 'alice@example.test',
      emailVerified: false,
      claims: expect.objectContaining({ tid: 'tenant-a' }),
    });
  });

  it.each([
    ['another tenant', BOB],
    ['no tid claim', MALLORY],
  ])('refuses %s with 403 and no resolveUser', async (_name, user) => {
    const { hop } = await finish('entra', user);

    expect(hop.response.status).toBe(403);
    expect(hop.body).toContain('LOGIN_TENANT_NOT_ALLOWED');
    expect(harness.resolved).toHaveLength(0);
  });

  it('uses the v2.0 issuer of the tenant by default', () => {
    const credentials = { clientId: 'a', clientSecret: 'b' };

    expect(
      entraProvider({ ...credentials, tenant: 'contoso-id' }),
    ).toMatchObject({
      name: 'microsoft',
      issuer: 'https://login.microsoftonline.com/contoso-id/v2.0',
      trustEmailVerified: false,
    });
  });

  it.each<[string, object, RegExp]>([
    [
      'a multi-tenant app without allowedTenants',
      { tenant: 'common' },
      /"allowedTenants" is required/,
    ],
    [
      'an empty allowlist',
      { tenant: 'organizations', allowedTenants: [] },
      /"allowedTenants"/,
    ],
    ['a missing tenant', {}, /"tenant"/],
    ['a tenant with a slash', { tenant: 'a/b' }, /"tenant"/],
  ])('refuses %s at startup', (_name, options, message) => {
    expect(() =>
      entraProvider({ clientId: 'a', clientSecret: 'b', ...options } as never),
    ).toThrow(message);
  });
});
