import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createVerifier } from '../src/verifier.js';
import type { VerifierOptions } from '../src/options.js';
import { AUDIENCE, ISSUER, createSigner } from './helpers/keys.js';
import type { TestSigner } from './helpers/keys.js';

const NOW_SECONDS = 1_900_000_000;
const CLIENT_AUTH = `Basic ${Buffer.from('rs:rs-secret').toString('base64')}`;

let server: Server;
let endpoint: string;
let signer: TestSigner;
let answers: Record<string, unknown>;
let mode: 'serve' | 'error';
const seen: Array<{
  token: string | null;
  hint: string | null;
  auth?: string;
}> = [];

beforeAll(async () => {
  signer = await createSigner('ES256');
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      const form = new URLSearchParams(body);
      const token = form.get('token');
      seen.push({
        token,
        hint: form.get('token_type_hint'),
        auth: req.headers.authorization,
      });
      if (mode === 'error' || req.headers.authorization !== CLIENT_AUTH) {
        res.writeHead(mode === 'error' ? 500 : 401).end();
        return;
      }

      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(answers[token ?? ''] ?? { active: false }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/introspect`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

let nowMs: number;

beforeEach(() => {
  seen.length = 0;
  mode = 'serve';
  nowMs = NOW_SECONDS * 1000;
  answers = {
    'opaque-active': {
      active: true,
      scope: 'read:items',
      sub: 'user-7',
      aud: AUDIENCE,
      exp: NOW_SECONDS + 30,
    },
    'opaque-other-aud': { active: true, aud: 'other', exp: NOW_SECONDS + 30 },
    'opaque-no-aud': { active: true, exp: NOW_SECONDS + 30 },
    'opaque-refresh': {
      active: true,
      aud: AUDIENCE,
      token_type: 'refresh_token',
    },
    'opaque-active-string': { active: 'true', aud: AUDIENCE },
  };
});

function options(overrides: Partial<VerifierOptions> = {}): VerifierOptions {
  return {
    issuer: ISSUER,
    audience: AUDIENCE,
    jwks: { keys: [signer.publicJwk] },
    algorithms: ['ES256'],
    clock: () => nowMs,
    introspection: {
      endpoint,
      clientId: 'rs',
      clientSecret: 'rs-secret',
      issuer: ISSUER,
      cacheMaxSeconds: 60,
    },
    ...overrides,
  };
}

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    const { status, reason } = error as { status: number; reason: string };
    return `${status} ${reason}`;
  }
}

describe('introspection of opaque tokens', () => {
  it('admits an active token with its scopes, using client_secret_basic', async () => {
    const auth = await createVerifier(options()).verify('opaque-active');

    expect(auth).toMatchObject({
      issuer: ISSUER,
      scopes: ['read:items'],
      claims: { sub: 'user-7', iss: ISSUER },
    });
    expect(seen).toEqual([
      { token: 'opaque-active', hint: 'access_token', auth: CLIENT_AUTH },
    ]);
  });

  it.each([
    ['an inactive token', 'opaque-unknown', '401 JWT_GUARD_INACTIVE'],
    [
      'active given as a string',
      'opaque-active-string',
      '401 JWT_GUARD_INACTIVE',
    ],
    ['another audience', 'opaque-other-aud', '401 JWT_GUARD_AUDIENCE_MISMATCH'],
    ['no audience', 'opaque-no-aud', '401 JWT_GUARD_AUDIENCE_MISMATCH'],
    ['a refresh token', 'opaque-refresh', '401 JWT_GUARD_CLAIM_INVALID'],
  ])('refuses %s', async (_, token, expected) => {
    await expect(
      outcome(createVerifier(options()).verify(token)),
    ).resolves.toBe(expected);
  });

  it('reuses an active answer, but never past the token exp', async () => {
    const verifier = createVerifier(options());

    await verifier.verify('opaque-active');
    nowMs += 20_000;
    await verifier.verify('opaque-active');
    const cachedCalls = seen.length;
    nowMs += 15_000;
    const afterExp = await outcome(verifier.verify('opaque-active'));

    expect(cachedCalls).toBe(1);
    expect(seen).toHaveLength(2);
    expect(afterExp).toBe('401 JWT_GUARD_EXPIRED');
  });

  it('asks again once an inactive answer is given (inactive is not cached)', async () => {
    const verifier = createVerifier(options());

    await outcome(verifier.verify('opaque-unknown'));
    await outcome(verifier.verify('opaque-unknown'));

    expect(seen).toHaveLength(2);
  });

  it('answers 503 when the endpoint fails', async () => {
    mode = 'error';

    await expect(
      outcome(createVerifier(options()).verify('opaque-active')),
    ).resolves.toBe('503 JWT_GUARD_INTROSPECTION_UNAVAILABLE');
  });

  it('verifies JWTs locally without calling the endpoint', async () => {
    const now = NOW_SECONDS;
    const token = await signer.sign({
      iss: ISSUER,
      aud: AUDIENCE,
      iat: now,
      exp: now + 60,
    });

    await expect(
      outcome(createVerifier(options()).verify(token)),
    ).resolves.toBe('OK');
    expect(seen).toEqual([]);
  });

  it('refuses opaque tokens as malformed when introspection is off', async () => {
    await expect(
      outcome(
        createVerifier(options({ introspection: undefined })).verify(
          'opaque-active',
        ),
      ),
    ).resolves.toBe('401 JWT_GUARD_MALFORMED_TOKEN');
    expect(seen).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'an untrusted issuer',
      { issuer: 'https://x.example.com' },
      'introspection.issuer',
    ],
    [
      'a missing secret',
      { clientSecret: undefined },
      'introspection.clientSecret',
    ],
    [
      'an http endpoint',
      { endpoint: 'http://as.example.com/i' },
      'introspection.endpoint',
    ],
    [
      'a negative cache age',
      { cacheMaxSeconds: -1 },
      'introspection.cacheMaxSeconds',
    ],
    ['an unknown key', { cache: 1 }, 'introspection.cache'],
  ])('refuses %s at startup', (_, overrides, path) => {
    const base = options().introspection as object;

    expect(() =>
      createVerifier(
        options({ introspection: { ...base, ...overrides } as never }),
      ),
    ).toThrow(`option "${path}"`);
  });
});
