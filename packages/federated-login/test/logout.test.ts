import { Browser } from '../../../test-support/http-browser.js';
import type { Hop } from '../../../test-support/http-browser.js';
import { CLIENT_ID, startLoginHarness } from './helpers/login-app.js';
import type { LoginHarness } from './helpers/login-app.js';
import { loginAtIdp, whoAmI } from './helpers/login-steps.js';

let harness: LoginHarness;

beforeAll(async () => {
  harness = await startLoginHarness();
});

afterAll(async () => {
  await harness?.close();
});

function logout(browser: Browser) {
  return browser.request(`${harness.baseUrl}/logout`, {
    method: 'POST',
    headers: { origin: harness.baseUrl },
  });
}

/** Confirms the dev IdP's sign-out page and returns the final redirect. */
async function confirmAtIdp(browser: Browser, page: Hop): Promise<string> {
  const action = /action="([^"]+)"/.exec(page.body)?.[1];
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(page.body)?.[1];
  if (!action || !xsrf) throw new Error('no sign-out form');
  const done = await browser.postForm(new URL(action, page.url).href, {
    xsrf,
    logout: 'yes',
  });
  return done.response.headers.get('location') ?? '';
}

describe('createFederatedLogin endSessionUrl', () => {
  it('sends the user to the IdP end-session endpoint with id_token_hint', async () => {
    const browser = new Browser();
    await browser.request(await loginAtIdp(browser, harness.baseUrl));
    const hop = await logout(browser);
    const location = new URL(hop.response.headers.get('location')!);

    expect(hop.response.status).toBe(303);
    expect(location.origin).toBe(harness.idp.issuer);
    expect(location.searchParams.get('id_token_hint')).toMatch(
      /^[\w-]+\.[\w-]+\.[\w-]+$/,
    );
    expect(location.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(location.searchParams.get('post_logout_redirect_uri')).toBe(
      `${harness.baseUrl}/`,
    );
    expect(await whoAmI(browser, harness.baseUrl)).toEqual({
      user: null,
      login: null,
    });
  });

  it('ends the IdP session, so the next login asks for the password again', async () => {
    const browser = new Browser();
    await browser.request(await loginAtIdp(browser, harness.baseUrl));
    const out = await logout(browser);
    const page = (await browser.follow(out)) as Hop;
    const back = await confirmAtIdp(browser, page);

    expect(back).toBe(`${harness.baseUrl}/`);
    const start = await browser.request(`${harness.baseUrl}/login/dev`);
    const next = await browser.follow(start, (url) =>
      url.startsWith(`${harness.baseUrl}/login/dev/callback`),
    );
    expect(typeof next).not.toBe('string');
    expect((next as Hop).body).toContain('password');
  });

  it('answers undefined for a visitor who is not signed in', async () => {
    const hop = await logout(new Browser());

    expect(hop.response.headers.get('location')).toBe('/');
  });
});
