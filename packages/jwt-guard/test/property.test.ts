/**
 * Property tests: random and mutated tokens and Authorization headers
 * thrown at the middleware never reach the handler, never answer 5xx and
 * never leave an unhandled rejection.
 */

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import express from 'express';
import fc from 'fast-check';
import { base64url } from 'jose';

import { authErrorHandler } from '@portcullis/core';

import { requireAuth } from '../src/require-auth.js';
import { createSigner, validClaims } from './helpers/keys.js';
import type { TestSigner } from './helpers/keys.js';
import { AUDIENCE, ISSUER } from './helpers/keys.js';

const RUNS = 150;
const PRINTABLE = fc.constantFrom(
  ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)),
);
const B64URL = fc.constantFrom(
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.='.split(
    '',
  ),
);

let signer: TestSigner;
let server: Server;
let baseUrl: string;
let valid: string;
const reached: string[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  signer = await createSigner('ES256');
  valid = await signer.sign(
    validClaims({ exp: Math.floor(Date.now() / 1000) + 3600 }),
  );
  const app = express();
  app.get(
    '/r',
    requireAuth({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwks: { keys: [signer.publicJwk] },
      algorithms: ['ES256'],
    }),
    (_req, res) => {
      reached.push('handler');
      res.json({ ok: true });
    },
  );
  app.use(authErrorHandler());
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/r`;
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function statusFor(header: string): Promise<number> {
  const res = await fetch(baseUrl, { headers: { authorization: header } });
  await res.arrayBuffer();
  return res.status;
}

function mutate(token: string, index: number, char: string): string {
  const at = index % token.length;
  const swapped = token[at] === char ? (char === 'A' ? 'B' : 'A') : char;
  return `${token.slice(0, at)}${swapped}${token.slice(at + 1)}`;
}

function expectRefused(status: number): void {
  expect([400, 401]).toContain(status);
}

describe('requireAuth under random input', () => {
  beforeEach(() => {
    reached.length = 0;
  });

  afterEach(async () => {
    await new Promise((resolve) => setImmediate(resolve));
    expect(reached).toEqual([]);
    expect(unhandled).toEqual([]);
  });

  it('refuses any printable Authorization header', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: PRINTABLE, maxLength: 300 }),
        async (header) => {
          const status = await statusFor(header);
          // An empty or whitespace header is just "no credentials".
          expectRefused(status);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('refuses Bearer with random base64url-ish tokens', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: B64URL, minLength: 1, maxLength: 400 }),
        async (token) => {
          expectRefused(await statusFor(`Bearer ${token}`));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('refuses a valid token with one character changed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), B64URL, async (index, char) => {
        expectRefused(await statusFor(`Bearer ${mutate(valid, index, char)}`));
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses tokens built from random JSON headers and payloads', async () => {
    const signature = fc.string({ unit: B64URL, maxLength: 100 });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.json(), fc.record({ alg: fc.string(), kid: fc.string() })),
        fc.oneof(fc.json(), fc.constant(JSON.stringify(validClaims()))),
        signature,
        async (header, payload, sig) => {
          const token = [
            base64url.encode(
              typeof header === 'string' ? header : JSON.stringify(header),
            ),
            base64url.encode(payload),
            sig,
          ].join('.');
          expectRefused(await statusFor(`Bearer ${token}`));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('refuses the valid token with its header swapped for a mutated one', async () => {
    const [, payload, sig] = valid.split('.');
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            alg: fc.constantFrom(
              'ES256',
              'none',
              'HS256',
              'RS256',
              'ES384',
              'EdDSA',
              'es256',
            ),
            kid: fc.oneof(fc.constant(signer.kid), fc.string()),
            typ: fc.constantFrom('at+jwt', 'JWT', 'x'),
            crit: fc.array(fc.string(), { maxLength: 2 }),
            jku: fc.webUrl(),
          },
          { requiredKeys: ['alg'] },
        ),
        async (header) => {
          const encoded = base64url.encode(JSON.stringify(header));
          // The unchanged header is the valid token itself.
          fc.pre(encoded !== valid.split('.')[0]);
          expectRefused(await statusFor(`Bearer ${encoded}.${payload}.${sig}`));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('admits the untouched valid token (control)', async () => {
    expect(await statusFor(`Bearer ${valid}`)).toBe(200);
    reached.length = 0;
  });
});

describe('requireAuth and base64url spelling', () => {
  it('refuses every non-canonical spelling of the last signature character', async () => {
    const last = valid.at(-1) as string;
    const alphabet =
      'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const statuses = await Promise.all(
      alphabet
        .split('')
        .filter((char) => char !== last)
        .map((char) => statusFor(`Bearer ${valid.slice(0, -1)}${char}`)),
    );

    expect(statuses.filter((status) => status === 200)).toEqual([]);
    expect(reached).toEqual([]);
  });
});
