import { Browser } from '../../../test-support/http-browser.js';
import type { Hop } from '../../../test-support/http-browser.js';
import { startLoginHarness } from './helpers/login-app.js';
import type { LoginHarness } from './helpers/login-app.js';
import { loginAtIdp, whoAmI } from './helpers/login-steps.js';

let harness: LoginHarness;

beforeAll(async () => {
  harness = await startLoginHarness();
});

afterAll(async () => {
  await harness?.close();
});

beforeEach(() => {
  harness.logouts.length = 0;
  harness.logoutTokens.length = 0;
});

/** Signs out at the dev IdP itself, confirming its sign-out page. */
async function signOutAtIdp(browser: Browser): Promise<void> {
  const page = await browser.request(`${harness.idp.issuer}/session/end`);
  const action = /action="([^"]+)"/.exec(page.body)?.[1];
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(page.body)?.[1];
  if (!action || !xsrf) throw new Error('no sign-out form');
  await browser.postForm(new URL(action, page.url).href, {
    xsrf,
    logout: 'yes',
  });
}

function postLogoutToken(token: string | undefined) {
  const body = new URLSearchParams(
    token === undefined ? {} : { logout_token: token },
  );
  return fetch(`${harness.baseUrl}/login/dev/backchannel-logout`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
}

describe('createFederatedLogin back-channel logout', () => {
  it("ends the user's sessions when they sign out at the IdP", async () => {
    const laptop = new Browser();
    await laptop.request(await loginAtIdp(laptop, harness.baseUrl));
    const before = (await whoAmI(laptop, harness.baseUrl)).login as {
      sid?: string;
    };
    expect(before.sid).toEqual(expect.any(String));

    await signOutAtIdp(laptop);

    expect(harness.logouts).toEqual([
      {
        provider: 'dev',
        issuer: harness.idp.issuer,
        subject: 'user-alice',
        sid: before.sid,
      },
    ]);
    expect(await whoAmI(laptop, harness.baseUrl)).toEqual({
      user: null,
      login: null,
    });
  });

  describe('when the logout token is not acceptable', () => {
    let token: string;

    beforeAll(async () => {
      const browser = new Browser();
      await browser.request(await loginAtIdp(browser, harness.baseUrl));
      await signOutAtIdp(browser);
      token = harness.logoutTokens[0]!;
    });

    it.each<[string, () => string | undefined]>([
      ['a replayed token', () => token],
      ['a token with a changed signature', () => `${token.slice(0, -4)}AAAA`],
      [
        'a token with a changed payload',
        () => {
          const [h, p, s] = token.split('.');
          const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
          claims.sub = 'user-bob';
          const forged = Buffer.from(JSON.stringify(claims)).toString(
            'base64url',
          );
          return `${h}.${forged}.${s}`;
        },
      ],
      ['an unsigned token', () => `${token.split('.')[0]}.e30.`],
      ['no token', () => undefined],
      ['garbage', () => 'not-a-jwt'],
    ])('refuses %s with 400 and ends nothing', async (_name, make) => {
      harness.logouts.length = 0;
      const response = await postLogoutToken(make());

      expect(response.status).toBe(400);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toEqual({ error: 'invalid_request' });
      expect(harness.logouts).toHaveLength(0);
    });
  });

  it('answers 404 for a provider without a receiver', async () => {
    const response = await fetch(
      `${harness.baseUrl}/login/nope/backchannel-logout`,
      { method: 'POST' },
    );

    expect(response.status).toBe(404);
  });
});

describe('back-channel logout through the session store', () => {
  let byUser: LoginHarness;

  beforeAll(async () => {
    byUser = await startLoginHarness({
      endSessionsByUser: true,
      resolveUser: (profile) => ({
        id: `${profile.issuer}|${profile.subject}`,
      }),
    });
  });

  afterAll(async () => {
    await byUser?.close();
  });

  it("ends every session of the user, in every browser, and no one else's", async () => {
    const laptop = new Browser();
    const phone = new Browser();
    const bob = new Browser();
    await laptop.request(await loginAtIdp(laptop, byUser.baseUrl));
    await phone.request(await loginAtIdp(phone, byUser.baseUrl));
    await bob.request(
      await loginAtIdp(bob, byUser.baseUrl, {
        email: 'bob@example.test',
        password: 'bob-password',
      }),
    );
    const alice = `${byUser.idp.issuer}|user-alice`;
    expect(await byUser.sessions.listForUser(alice)).toHaveLength(2);

    const page = await laptop.request(`${byUser.idp.issuer}/session/end`);
    const action = /action="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    await laptop.postForm(new URL(action, page.url).href, {
      xsrf,
      logout: 'yes',
    });

    expect(await byUser.sessions.listForUser(alice)).toHaveLength(0);
    expect((await whoAmI(laptop, byUser.baseUrl)).user).toBeNull();
    expect((await whoAmI(phone, byUser.baseUrl)).user).toBeNull();
    expect((await whoAmI(bob, byUser.baseUrl)).user).toEqual({
      id: `${byUser.idp.issuer}|user-bob`,
    });
  });
});
