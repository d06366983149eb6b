import { createServer } from 'node:http';
import type { Server } from 'node:http';

import { createDiscoveryCache } from '../src/discovery-cache.js';
import { toLoginError } from '../src/errors.js';
import { createIdpBreaker } from '../src/idp-breaker.js';
import { listen } from './helpers/login-app.js';

const TTL_MS = 60_000;

interface Metadata {
  server: Server;
  issuer: string;
  hits: { count: number };
  mode: { value: 'ok' | 'fail' | 'hang' };
}

async function startMetadataServer(): Promise<Metadata> {
  const hits = { count: 0 };
  const mode = { value: 'ok' as 'ok' | 'fail' | 'hang' };
  const server = createServer((_req, res) => {
    hits.count += 1;
    if (mode.value === 'hang') return;
    if (mode.value === 'fail') return res.writeHead(503).end();
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        issuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
      }),
    );
  });
  const issuer = await listen(server);
  return { server, issuer, hits, mode };
}

function target(issuer: string) {
  return {
    issuer: new URL(issuer),
    clientId: 'c',
    clientSecret: 's',
    insecure: true,
  };
}

describe('createDiscoveryCache', () => {
  let idp: Metadata;

  beforeAll(async () => {
    idp = await startMetadataServer();
  });

  afterAll(async () => {
    idp.server.closeAllConnections();
    await new Promise((resolve) => idp.server.close(resolve));
  });

  beforeEach(() => {
    idp.hits.count = 0;
    idp.mode.value = 'ok';
  });

  it('discovers once while fresh and shares a pending discovery', async () => {
    const cache = createDiscoveryCache(target(idp.issuer), {
      ttlMs: TTL_MS,
      timeoutMs: 1000,
    });
    const [a, b] = await Promise.all([cache.get(0), cache.get(0)]);
    const c = await cache.get(TTL_MS - 1);

    expect(a).toBe(b);
    expect(c).toBe(a);
    expect(idp.hits.count).toBe(1);
  });

  it('uses the stale metadata when a refresh fails, and reports it', async () => {
    const outcomes: boolean[] = [];
    const cache = createDiscoveryCache(target(idp.issuer), {
      ttlMs: TTL_MS,
      timeoutMs: 1000,
      onRefresh: (ok) => outcomes.push(ok),
    });
    const fresh = await cache.get(0);
    idp.mode.value = 'fail';

    await expect(cache.get(TTL_MS + 1)).resolves.toBe(fresh);
    expect(outcomes).toEqual([true, false]);
    expect(idp.hits.count).toBe(2);
  });

  it('refreshes after markStale, and gets new metadata', async () => {
    const cache = createDiscoveryCache(target(idp.issuer), {
      ttlMs: TTL_MS,
      timeoutMs: 1000,
    });
    const first = await cache.get(0);
    cache.markStale();
    const second = await cache.get(1);

    expect(second).not.toBe(first);
    expect(idp.hits.count).toBe(2);
  });

  it('fails with a timeout mapped to LOGIN_IDP_UNAVAILABLE when the IdP hangs', async () => {
    idp.mode.value = 'hang';
    const cache = createDiscoveryCache(target(idp.issuer), {
      ttlMs: TTL_MS,
      timeoutMs: 1000,
    });
    const started = Date.now();
    const error = await cache.get(0).catch((e: unknown) => e);

    expect(toLoginError(error).code).toBe('LOGIN_IDP_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(2500);
  });
});

describe('createIdpBreaker', () => {
  it('opens after the threshold, for the cooldown, and closes on success', () => {
    const breaker = createIdpBreaker({ failureThreshold: 2, cooldownMs: 100 });

    expect(breaker.recordFailure(0)).toBe(false);
    expect(breaker.isOpen(0)).toBe(false);
    expect(breaker.recordFailure(10)).toBe(true);
    expect(breaker.isOpen(109)).toBe(true);
    expect(breaker.isOpen(110)).toBe(false);
    breaker.recordFailure(110);
    expect(breaker.isOpen(111)).toBe(true);
    breaker.recordSuccess();
    expect(breaker.isOpen(111)).toBe(false);
  });
});
