import { Browser } from '../../../test-support/http-browser.js';
import { startLoginHarness } from './helpers/login-app.js';
import type { LoginHarness } from './helpers/login-app.js';
import { loginAtIdp, whoAmI } from './helpers/login-steps.js';

const COOLDOWN_MS = 30_000;

let harness: LoginHarness;
// The breaker's clock: real time plus a skew the test advances.
let skewMs = 0;

beforeAll(async () => {
  harness = await startLoginHarness({
    restartable: true,
    login: {
      breakerFailureThreshold: 2,
      breakerCooldownSeconds: COOLDOWN_MS / 1000,
      idpTimeoutMs: 2000,
      clock: () => Date.now() + skewMs,
    },
  });
});

afterAll(async () => {
  await harness?.close();
});

function unavailable(hop: { response: Response; body: string }) {
  expect(hop.response.status).toBe(503);
  expect(hop.body).toContain('LOGIN_IDP_UNAVAILABLE');
  expect(hop.body).not.toMatch(/ECONNREFUSED|fetch failed|at \//);
}

describe('createFederatedLogin when the IdP goes down and comes back', () => {
  it('shows the 503 page mid-login, opens the breaker, recovers without restart', async () => {
    const early = new Browser();
    const callbackUrl = await loginAtIdp(early, harness.baseUrl);
    await harness.stopIdp();

    // The code exchange cannot reach the IdP.
    const midLogin = await early.request(callbackUrl);
    unavailable(midLogin);
    expect(harness.resolved).toHaveLength(0);
    expect(await whoAmI(early, harness.baseUrl)).toEqual({
      user: null,
      login: null,
    });

    // The second failure (the discovery refresh) opens the breaker.
    unavailable(await new Browser().request(`${harness.baseUrl}/login/dev`));

    // While open, logins are refused at once, without trying the IdP.
    const started = Date.now();
    unavailable(await new Browser().request(`${harness.baseUrl}/login/dev`));
    expect(Date.now() - started).toBeLessThan(200);
    const failed = harness.events.filter((e) => e.type === 'auth.login.failed');
    expect(failed).toHaveLength(3);

    // Back up, but the breaker stays open until its cooldown ends.
    await harness.restartIdp();
    unavailable(await new Browser().request(`${harness.baseUrl}/login/dev`));
    skewMs += COOLDOWN_MS;

    const late = new Browser();
    const hop = await late.request(await loginAtIdp(late, harness.baseUrl));
    expect(hop.response.status).toBe(303);
    expect(await whoAmI(late, harness.baseUrl)).toMatchObject({
      login: { provider: 'dev', subject: 'user-alice' },
    });
  });
});
