import { createServer } from 'node:http';
import type { Server } from 'node:http';

import express from 'express';
import { createSessionMiddleware } from '@portcullis/session-bridge';
import { createMemorySessionStore } from '@portcullis/stores';

import { Browser } from '../../../test-support/http-browser.js';
import { createFederatedLogin, githubProvider } from '../src/index.js';
import type { FederatedProfile } from '../src/index.js';
import { startGitHubStandIn } from './helpers/github-stand-in.js';
import type { GitHubStandIn } from './helpers/github-stand-in.js';
import { listen } from './helpers/login-app.js';
import { whoAmI } from './helpers/login-steps.js';

const CLIENT = { clientId: 'gh-client', clientSecret: 'gh-client-secret' };

let github: GitHubStandIn;
let server: Server;
let baseUrl: string;
const resolved: FederatedProfile[] = [];

beforeAll(async () => {
  github = await startGitHubStandIn(CLIENT);
  server = createServer();
  baseUrl = await listen(server);
  const login = createFederatedLogin({
    baseUrl,
    providers: [
      githubProvider({ ...CLIENT, webUrl: github.url, apiUrl: github.url }),
    ],
    resolveUser: (profile) => {
      resolved.push(profile);
      return { id: profile.subject };
    },
    idpTimeoutMs: 2000,
  });
  const app = express();
  app.use(
    createSessionMiddleware({
      store: createMemorySessionStore(),
      origin: baseUrl,
    }),
  );
  app.use(login.router);
  app.get('/me', (req, res) => {
    res.json({
      user: req.session.user ?? null,
      login: req.session.login ?? null,
    });
  });
  server.on('request', app);
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await github?.close();
});

beforeEach(() => {
  resolved.length = 0;
  github.userStatus.value = 200;
  github.emails.length = 0;
});

/** Starts a login; the stand-in approves at once. Returns the callback. */
async function authorize(browser: Browser): Promise<string> {
  const start = await browser.request(`${baseUrl}/login/github`);
  const approved = await browser.request(
    start.response.headers.get('location')!,
  );
  return approved.response.headers.get('location')!;
}

describe('githubProvider against a GitHub stand-in', () => {
  it('sends PKCE S256, state and the email scope', async () => {
    await authorize(new Browser());
    const request = github.authorizations.at(-1)!;

    expect(request).toMatchObject({
      client_id: 'gh-client',
      response_type: 'code',
      code_challenge_method: 'S256',
      scope: 'read:user user:email',
      redirect_uri: `${baseUrl}/login/github/callback`,
    });
    expect(request.state).toMatch(/^[\w-]{40,}$/);
    expect(request.code_challenge).toMatch(/^[\w-]{43}$/);
  });

  it('signs in with the numeric id as subject and the verified primary email', async () => {
    github.emails.push(
      { email: 'old@example.test', primary: false, verified: true },
      { email: 'octo@example.test', primary: true, verified: true },
    );
    const browser = new Browser();
    const hop = await browser.request(await authorize(browser));

    expect(hop.response.status).toBe(303);
    expect(resolved[0]).toMatchObject({
      provider: 'github',
      issuer: github.url,
      subject: '4242',
      email: 'octo@example.test',
      emailVerified: true,
      name: 'The Octocat',
    });
    expect(await whoAmI(browser, baseUrl)).toMatchObject({
      user: { id: '4242' },
      login: { provider: 'github', subject: '4242' },
    });
  });

  it.each([
    [
      'an unverified primary email',
      [
        { email: 'octo@example.test', primary: true, verified: false },
        { email: 'other@example.test', primary: false, verified: true },
      ],
    ],
    [
      'only a verified secondary email',
      [{ email: 'other@example.test', primary: false, verified: true }],
    ],
    ['no email at all', []],
  ])('reports no email for %s', async (_name, emails) => {
    github.emails.push(...emails);
    const browser = new Browser();
    await browser.request(await authorize(browser));

    expect(resolved[0]?.email).toBeUndefined();
    expect(resolved[0]?.emailVerified).toBe(false);
  });

  it.each<[string, (url: URL) => void, string]>([
    [
      'a changed state',
      (u) => u.searchParams.set('state', 's'.repeat(43)),
      'LOGIN_STATE_MISMATCH',
    ],
    [
      'a forged code',
      (u) => u.searchParams.set('code', 'forged'),
      'LOGIN_CODE_REJECTED',
    ],
    [
      'a wrong iss',
      (u) => u.searchParams.set('iss', 'https://evil.example'),
      'LOGIN_ISSUER_MISMATCH',
    ],
  ])('refuses %s with 400 and no resolveUser', async (_name, tamper, code) => {
    const browser = new Browser();
    const callback = new URL(await authorize(browser));
    tamper(callback);
    const hop = await browser.request(callback.href);

    expect(hop.response.status).toBe(400);
    expect(hop.body).toContain(code);
    expect(resolved).toHaveLength(0);
    expect((await whoAmI(browser, baseUrl)).user).toBeNull();
  });

  it('starts a login even when the start URL carries callback parameters', async () => {
    const hop = await new Browser().request(
      `${baseUrl}/login/github?code=x&state=y`,
    );

    expect(hop.response.status).toBe(302);
    expect(hop.response.headers.get('location')).toContain(
      `${github.url}/login/oauth/authorize?`,
    );
  });

  it('answers 503 when the GitHub API fails', async () => {
    github.userStatus.value = 502;
    const browser = new Browser();
    const hop = await browser.request(await authorize(browser));

    expect(hop.response.status).toBe(503);
    expect(hop.body).toContain('LOGIN_IDP_UNAVAILABLE');
    expect(resolved).toHaveLength(0);
  });
});
