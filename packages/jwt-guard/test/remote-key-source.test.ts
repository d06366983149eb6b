import { createVerifier } from '../src/verifier.js';
import type { VerifierOptions } from '../src/options.js';
import { startDiscoveryServer } from './helpers/discovery-server.js';
import { startJwksServer } from './helpers/jwks-server.js';
import type { JwksServer } from './helpers/jwks-server.js';
import {
  AUDIENCE,
  ISSUER,
  createSigner,
  nowSeconds,
  validClaims,
} from './helpers/keys.js';
import type { TestSigner } from './helpers/keys.js';

const LONG_LIVED = () => validClaims({ exp: nowSeconds() + 10 * 86400 });

let signer: TestSigner;
let rotated: TestSigner;
let server: JwksServer;
let nowMs: number;

beforeAll(async () => {
  signer = await createSigner('ES256');
  rotated = await createSigner('ES256');
});

beforeEach(async () => {
  nowMs = Date.now();
  server = await startJwksServer([signer.publicJwk]);
});

afterEach(async () => {
  await server.close();
});

function options(overrides: Partial<VerifierOptions> = {}): VerifierOptions {
  return {
    issuer: ISSUER,
    audience: AUDIENCE,
    jwksUri: server.url,
    algorithms: ['ES256'],
    clock: () => nowMs,
    jwksCacheSeconds: 600,
    jwksCooldownSeconds: 30,
    jwksStaleSeconds: 3600,
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

function waitFor(check: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() - started > 5000) return reject(new Error('timeout'));
      setTimeout(tick, 5);
    };
    tick();
  });
}

describe('remote JWKS cache', () => {
  it('shares one fetch between concurrent first requests', async () => {
    const verifier = createVerifier(options());
    const token = await signer.sign(LONG_LIVED());

    const results = await Promise.all(
      Array.from({ length: 25 }, () => outcome(verifier.verify(token))),
    );

    expect(new Set(results)).toEqual(new Set(['OK']));
    expect(server.requests()).toBe(1);
  });

  it('bounds an unknown-kid flood to one refetch per cooldown window', async () => {
    const verifier = createVerifier(options());
    await verifier.preload();
    const forged = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        signer.sign(LONG_LIVED(), { kid: `forged-${i}` }),
      ),
    );

    const first = await Promise.all(
      forged.map((t) => outcome(verifier.verify(t))),
    );
    const second = await Promise.all(
      forged.map((t) => outcome(verifier.verify(t))),
    );

    expect(new Set([...first, ...second])).toEqual(
      new Set(['401 JWT_GUARD_KID_UNKNOWN']),
    );
    // One preload plus one shared refetch, whatever the number of kids.
    expect(server.requests()).toBe(2);

    nowMs += 31_000;
    await Promise.all(forged.map((t) => outcome(verifier.verify(t))));
    expect(server.requests()).toBe(3);
  });

  it('preloads at startup so the first request fetches nothing', async () => {
    const verifier = createVerifier(options());

    await verifier.preload();
    const before = server.requests();
    const result = await outcome(
      verifier.verify(await signer.sign(LONG_LIVED())),
    );

    expect([before, result, server.requests()]).toEqual([1, 'OK', 1]);
  });

  it('accepts a rotated-in key after one refetch', async () => {
    const verifier = createVerifier(options());
    await verifier.preload();
    server.setKeys([signer.publicJwk, rotated.publicJwk]);

    const result = await outcome(
      verifier.verify(await rotated.sign(LONG_LIVED())),
    );

    expect(result).toBe('OK');
    expect(server.requests()).toBe(2);
  });

  it('stops verifying a removed key after the next refresh', async () => {
    const verifier = createVerifier(options());
    const token = await signer.sign(LONG_LIVED());
    await verifier.preload();
    server.setKeys([rotated.publicJwk]);

    nowMs += 601_000;
    const duringRefresh = await outcome(verifier.verify(token));
    await waitFor(() => server.requests() === 2);
    // Joins the background refresh still in flight (or fetches once more
    // if it has ended), so the check below runs on the new set.
    await verifier.preload();
    const afterRefresh = await outcome(verifier.verify(token));

    expect(duringRefresh).toBe('OK');
    expect(afterRefresh).toBe('401 JWT_GUARD_KID_UNKNOWN');
  });

  it('refreshes in the background on an interval', async () => {
    jest.useFakeTimers({
      doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'],
    });
    try {
      const verifier = createVerifier(options({ jwksRefreshSeconds: 60 }));
      jest.advanceTimersByTime(60_000);
      jest.useRealTimers();
      await waitFor(() => server.requests() === 1);
      verifier.close();
    } finally {
      jest.useRealTimers();
    }
  });

  describe('when the JWKS endpoint goes down', () => {
    it('serves the last good keys until the stale ceiling, then 503', async () => {
      const verifier = createVerifier(options());
      const token = await signer.sign(LONG_LIVED());
      await verifier.preload();
      server.setMode('error');

      nowMs += 601_000;
      const stale = await outcome(verifier.verify(token));
      nowMs += 1_000_000;
      const stillStale = await outcome(verifier.verify(token));
      nowMs += 2_000_000;
      const past = await outcome(verifier.verify(token));

      expect(stale).toBe('OK');
      expect(stillStale).toBe('OK');
      expect(past).toBe('503 JWT_GUARD_KEYS_UNAVAILABLE');
    });

    it('answers 503 within the cooldown without fetching again', async () => {
      server.setMode('error');
      const verifier = createVerifier(options());
      const token = await signer.sign(LONG_LIVED());

      const first = await outcome(verifier.verify(token));
      const second = await outcome(verifier.verify(token));

      expect([first, second]).toEqual([
        '503 JWT_GUARD_KEYS_UNAVAILABLE',
        '503 JWT_GUARD_KEYS_UNAVAILABLE',
      ]);
      expect(server.requests()).toBe(1);
    });

    it.each(['garbage', 'hang'] as const)(
      'treats a %s answer as an outage',
      async (mode) => {
        server.setMode(mode);
        const verifier = createVerifier(options({ jwksTimeoutMs: 200 }));

        const result = await outcome(verifier.verify(await signer.sign()));

        expect(result).toBe('503 JWT_GUARD_KEYS_UNAVAILABLE');
      },
    );
  });

  describe('with discovery', () => {
    it.each(['oidc', 'rfc8414'] as const)(
      'finds the JWKS through %s metadata',
      async (style) => {
        const idp = await startDiscoveryServer([signer.publicJwk], style);
        try {
          const verifier = createVerifier({
            ...options(),
            jwksUri: undefined,
            issuer: idp.issuer,
            discovery: true,
          });
          const token = await signer.sign({ ...LONG_LIVED(), iss: idp.issuer });

          await expect(outcome(verifier.verify(token))).resolves.toBe('OK');
          await expect(outcome(verifier.verify(token))).resolves.toBe('OK');
          expect(idp.hits.get('/keys')).toBe(1);
        } finally {
          await idp.close();
        }
      },
    );

    it('refuses metadata that names another issuer with 503', async () => {
      const idp = await startDiscoveryServer([signer.publicJwk], 'oidc');
      idp.setMetadataIssuer('https://evil.example.com');
      try {
        const verifier = createVerifier({
          ...options(),
          jwksUri: undefined,
          issuer: idp.issuer,
          discovery: true,
        });
        const token = await signer.sign({ ...LONG_LIVED(), iss: idp.issuer });

        await expect(outcome(verifier.verify(token))).resolves.toBe(
          '503 JWT_GUARD_KEYS_UNAVAILABLE',
        );
        expect(idp.hits.get('/keys')).toBeUndefined();
      } finally {
        await idp.close();
      }
    });
  });

  it.each<[string, Partial<VerifierOptions>, string]>([
    [
      'a stale ceiling below the cache age',
      { jwksStaleSeconds: 10 },
      'jwksStaleSeconds',
    ],
    ['a negative cooldown', { jwksCooldownSeconds: -1 }, 'jwksCooldownSeconds'],
    ['a zero timeout', { jwksTimeoutMs: 0 }, 'jwksTimeoutMs'],
    ['a fractional cache age', { jwksCacheSeconds: 1.5 }, 'jwksCacheSeconds'],
  ])('refuses %s at startup', (_, overrides, path) => {
    expect(() => createVerifier(options(overrides))).toThrow(
      `option "${path}"`,
    );
  });
});
