/**
 * Micro benchmark of the verify pipeline: Portcullis's
 * `createVerifier(...).verify(token)` against a raw `crypto.verify` with a
 * cached KeyObject on the same token (and jose's `jwtVerify` for
 * reference), one call at a time, alternating in rounds in one process.
 */

import { verify as cryptoVerify } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import { createVerifier } from '@portcullis/jwt-guard';
import { importJWK, jwtVerify } from 'jose';

import { ALGORITHMS, AUDIENCE, signToken } from './keys.js';
import type { Algorithm, BenchKey } from './keys.js';
import { median } from './stats.js';

const ISSUER = 'https://issuer.bench.example';
const CHECK_EVERY = 32;

/**
 * The contenders of the micro benchmark: `portcullis` has its
 * verified-token cache off (parse and signature on every call),
 * `cached` has the default options (every call after the first is a hit).
 */
export const MICRO_IMPLS = ['raw', 'portcullis', 'cached', 'jose'] as const;

/** One of {@link MICRO_IMPLS}. */
export type MicroImpl = (typeof MICRO_IMPLS)[number];

/** Median verifications per second of each contender, per algorithm. */
export type MicroResult = Record<
  Algorithm,
  Record<MicroImpl, { median: number; rounds: number[] }>
>;

type Runner = () => unknown;

// Raw crypto: split the token, decode the signature, one crypto.verify.
// The least any JWS verifier must do; no header, claims or key lookup.
function rawRunner(key: BenchKey, token: string): Runner {
  const hash = key.alg === 'EdDSA' ? null : 'sha256';
  const keyInput =
    key.alg === 'ES256'
      ? { key: key.publicKey, dsaEncoding: 'ieee-p1363' as const }
      : key.publicKey;
  return () => {
    const dot = token.lastIndexOf('.');
    const ok = cryptoVerify(
      hash,
      Buffer.from(token.slice(0, dot)),
      keyInput,
      Buffer.from(token.slice(dot + 1), 'base64url'),
    );
    if (!ok) throw new Error('raw crypto.verify refused the bench token');
  };
}

async function measure(run: Runner, millis: number): Promise<number> {
  const start = performance.now();
  const end = start + millis;
  let count = 0;
  let now = start;
  while (now < end) {
    for (let i = 0; i < CHECK_EVERY; i += 1) {
      const result = run();
      if (result instanceof Promise) await result;
    }

    count += CHECK_EVERY;
    now = performance.now();
  }

  return (count * 1000) / (now - start);
}

/**
 * Runs `rounds` rounds; in each, every (algorithm, contender) pair runs for
 * `millis` ms, contenders alternating. Returns the medians.
 */
export async function runMicro(
  keys: Record<Algorithm, BenchKey>,
  rounds: number,
  millis: number,
): Promise<MicroResult> {
  const runners = {} as Record<Algorithm, Record<MicroImpl, Runner>>;
  for (const alg of ALGORITHMS) {
    const key = keys[alg];
    const token = await signToken(key, ISSUER);
    const options = {
      issuer: ISSUER,
      audience: AUDIENCE,
      jwks: { keys: [key.jwk] },
      algorithms: [alg],
    };
    // One call at a time, a thread-pool hop only adds latency: the pipeline
    // is measured with the signature checked on the event loop, like raw.
    const verifier = createVerifier({
      ...options,
      tokenCache: false,
      signatureThread: 'event-loop',
    });
    const cached = createVerifier(options);
    const joseKey = await importJWK(key.jwk, alg);
    runners[alg] = {
      raw: rawRunner(key, token),
      portcullis: () => verifier.verify(token),
      cached: () => cached.verify(token),
      jose: () =>
        jwtVerify(token, joseKey, {
          issuer: ISSUER,
          audience: AUDIENCE,
          algorithms: [alg],
        }),
    };
    // Warm-up, and a check that every contender accepts the token.
    for (const impl of MICRO_IMPLS) await measure(runners[alg][impl], 200);
  }

  const samples = {} as Record<Algorithm, Record<MicroImpl, number[]>>;
  for (const alg of ALGORITHMS) {
    samples[alg] = { raw: [], portcullis: [], cached: [], jose: [] };
  }

  for (let round = 0; round < rounds; round += 1) {
    for (const alg of ALGORITHMS) {
      // Alternate the order so that no contender always runs first.
      const order = round % 2 === 0 ? MICRO_IMPLS : [...MICRO_IMPLS].reverse();
      for (const impl of order) {
        samples[alg][impl].push(await measure(runners[alg][impl], millis));
      }
    }
  }

  const result = {} as MicroResult;
  for (const alg of ALGORITHMS) {
    const entry = {} as MicroResult[Algorithm];
    for (const impl of MICRO_IMPLS) {
      const rounds = samples[alg][impl];
      entry[impl] = { median: median(rounds), rounds };
    }

    result[alg] = entry;
  }

  return result;
}
