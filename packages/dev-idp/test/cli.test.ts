import { runCli } from './helpers/run-cli.js';
import type { CliRun } from './helpers/run-cli.js';
import { Browser } from '../../../test-support/http-browser.js';
import { buildAuthRequest, discover } from '../../../test-support/oidc-flow.js';
import type { Discovery } from '../../../test-support/oidc-flow.js';

const READY = 'PORTCULLIS_DEV_IDP_READY ';
const REDIRECT_URI = 'http://127.0.0.1:9/callback';
const POST_LOGOUT_URI = 'http://127.0.0.1:9/signed-out';

function readIssuer(stdout: string): string {
  const line = stdout.split('\n').find((item) => item.startsWith(READY));
  return (JSON.parse(line?.slice(READY.length) ?? '{}') as { issuer: string })
    .issuer;
}

async function signIn(browser: Browser, discovery: Discovery) {
  const request = buildAuthRequest(discovery, 'portcullis-demo', REDIRECT_URI);
  const page = await browser.follow(await browser.request(request.url));
  if (typeof page === 'string') throw new Error(`redirected to ${page}`);
  const fields = { email: 'alice@example.test', password: 'alice-password' };
  const done = await browser.follow(
    await browser.postForm(`${page.url}/login`, fields),
    (location) => location.startsWith(REDIRECT_URI),
  );
  if (typeof done !== 'string') throw new Error('sign-in did not finish');
}

describe('portcullis-dev-idp', () => {
  it('prints the usage for --help and exits 0', async () => {
    const run = runCli(['--help']);

    expect(await run.exited).toBe(0);
    expect(run.stdout()).toMatch(/^Usage: portcullis-dev-idp/);
  });

  it('exits 2 with the usage when no redirect URI is given', async () => {
    const run = runCli([]);

    expect(await run.exited).toBe(2);
    expect(run.stderr()).toContain('at least one --redirect-uri is required');
    expect(run.stderr()).toContain('Usage:');
    expect(run.stdout()).toBe('');
  });

  describe('when running', () => {
    let run: CliRun;
    let issuer: string;
    let discovery: Discovery;

    beforeAll(async () => {
      run = runCli([
        '--port',
        '0',
        '--redirect-uri',
        REDIRECT_URI,
        '--post-logout-redirect-uri',
        POST_LOGOUT_URI,
      ]);
      await run.waitFor(READY);
      issuer = readIssuer(run.stdout());
      discovery = await discover(issuer);
    });

    afterAll(async () => {
      run.kill('SIGTERM');
      await run.exited;
    });

    it('prints the issuer and the test users before the ready line', () => {
      const stdout = run.stdout();

      expect(issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(stdout).toContain(`Issuer:        ${issuer}`);
      expect(stdout).toMatch(/alice@example\.test +alice-password/);
      expect(stdout.indexOf('alice@example.test')).toBeLessThan(
        stdout.indexOf(READY),
      );
    });

    it('signs the user out at the end-session endpoint', async () => {
      const browser = new Browser();
      await signIn(browser, discovery);
      const url = new URL(discovery.end_session_endpoint);
      url.search = new URLSearchParams({
        client_id: 'portcullis-demo',
        post_logout_redirect_uri: POST_LOGOUT_URI,
        state: 'bye',
      }).toString();

      const confirm = await browser.request(url.href);
      expect(confirm.response.status).toBe(200);
      expect(confirm.body).toContain('form="op.logoutForm"');
      const action = /action="([^"]+)"/.exec(confirm.body)?.[1] ?? '';
      const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.body)?.[1] ?? '';

      const done = await browser.postForm(new URL(action, issuer).href, {
        xsrf,
        logout: 'yes',
      });
      expect(done.response.status).toBe(303);
      expect(done.response.headers.get('location')).toBe(
        `${POST_LOGOUT_URI}?state=bye`,
      );
    });

    it('renders protocol errors as its own HTML page', async () => {
      const url = `${discovery.authorization_endpoint}?client_id=unknown`;
      const hop = await new Browser().request(url, {
        headers: { accept: 'text/html' },
      });

      expect(hop.response.status).toBe(400);
      expect(hop.body).toContain('Portcullis dev IdP');
      expect(hop.response.headers.get('content-security-policy')).toMatch(
        /default-src 'none'/,
      );
    });

    it('prints no oidc-provider notice about unset configuration', () => {
      expect(run.stdout()).not.toContain('oidc-provider');
      expect(run.stderr()).not.toMatch(/default \S+ function called/);
    });
  });

  it('exits 0 on SIGTERM and on SIGINT', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const run = runCli(['--redirect-uri', REDIRECT_URI]);
      await run.waitFor(READY);
      run.kill(signal);

      expect(await run.exited).toBe(0);
    }
  });
});
