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
import type { Discovery } from '../../../test-support/oidc-flow.js';

const CLIENT_ID = 'claims-client';
const CLIENT_SECRET = 'claims-secret';
const REDIRECT_URI = 'http://127.0.0.1:9/callback';
const USERS = [
  {
    sub: 'user-wendy',
    email: 'wendy@corp.test',
    password: 'wendy-password',
    name: 'Wendy Workspace',
    emailVerified: true,
    claims: { hd: 'corp.test', tid: 'tenant-1', groups_count: 2 },
  },
];

let idp: SpawnedDevIdp;
let discovery: Discovery;

beforeAll(async () => {
  idp = await spawnDevIdp({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: [REDIRECT_URI],
    users: USERS,
  });
  discovery = await discover(idp.issuer);
});

afterAll(async () => {
  await idp?.stop();
});

async function idTokenClaims(email: string, password: string) {
  const browser = new Browser();
  const request = buildAuthRequest(discovery, CLIENT_ID, REDIRECT_URI);
  const page = (await browser.follow(
    await browser.request(request.url),
  )) as Hop;
  const submitted = await browser.postForm(`${page.url}/login`, {
    email,
    password,
  });
  const callback = await browser.follow(submitted, (location) =>
    location.startsWith(REDIRECT_URI),
  );
  const code = new URL(String(callback)).searchParams.get('code') ?? '';
  const response = await fetch(discovery.token_endpoint, {
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
  const tokens = (await response.json()) as Record<string, string>;
  return decodeSegment(tokens.id_token?.split('.')[1]);
}

describe('startDevIdp with users from --users-json', () => {
  it('signs in the given users and puts their extra claims in the ID token', async () => {
    const claims = await idTokenClaims('wendy@corp.test', 'wendy-password');

    expect(claims).toMatchObject({
      sub: 'user-wendy',
      email: 'wendy@corp.test',
      hd: 'corp.test',
      tid: 'tenant-1',
      groups_count: 2,
    });
  });

  it('no longer knows the default test users', async () => {
    const browser = new Browser();
    const request = buildAuthRequest(discovery, CLIENT_ID, REDIRECT_URI);
    const page = (await browser.follow(
      await browser.request(request.url),
    )) as Hop;
    const submitted = await browser.postForm(`${page.url}/login`, {
      email: 'alice@example.test',
      password: 'alice-password',
    });

    expect(submitted.response.status).toBe(401);
  });
});
