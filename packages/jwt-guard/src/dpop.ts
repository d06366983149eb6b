/**
 * DPoP proof checks for a resource server (RFC 9449 sections 4.3 and 7.1):
 * the proof is a JWS of type `dpop+jwt`, signed by the public key in its
 * own `jwk` header, bound to the request (`htm`, `htu`), fresh (`iat`),
 * used once (`jti`), bound to the access token (`ath`), and its key's
 * RFC 7638 thumbprint equals the token's `cnf.jkt`.
 */

import { createHash } from 'node:crypto';

import { calculateJwkThumbprint } from 'jose';
import type { JWK } from 'jose';

import { configError } from '@portcullis/core';
import { createMemoryReplayCache } from '@portcullis/stores';
import type { ReplayCache } from '@portcullis/stores';

import { isAsymmetricAlgorithm } from './algorithms.js';
import { createNonceProvider } from './dpop-nonce.js';
import type { DpopNonceProvider } from './dpop-nonce.js';
import {
  DpopNonceError,
  DpopProofError,
  GuardUnavailableError,
} from './errors.js';
import { importKeySet, lookupKey } from './key-set.js';
import { parseToken } from './parse-token.js';
import type { GuardReason } from './reasons.js';
import { verifySignature } from './verify-signature.js';

const PACKAGE_NAME = '@portcullis/jwt-guard';
const DEFAULT_ALGORITHMS = ['ES256', 'EdDSA', 'PS256', 'RS256'];
const DEFAULT_IAT_WINDOW_SECONDS = 60;

/**
 * Remembers proof `jti` values: the stores package's ReplayCache (memory,
 * Redis or PostgreSQL), whose `markIfAbsent` answers true only once.
 */
export type DpopReplayStore = ReplayCache;

/** The `dpop` option. */
export interface DpopOptions {
  /** Accepted proof algorithms. Default: ES256, EdDSA, PS256, RS256. */
  algorithms?: readonly string[];
  /** Accepted distance of the proof `iat` from now, in s. Default: 60. */
  iatWindowSeconds?: number;
  /** Replay store for proof `jti`. Default: in memory (one process). */
  replayStore?: DpopReplayStore;
  /** Refuse bearer presentation altogether. Default: false. */
  required?: boolean;
  /**
   * Require a server nonce in every proof: `true` for the in-process
   * provider, or a shared provider. Default: off.
   */
  nonce?: boolean | DpopNonceProvider;
}

/** The validated `dpop` option. */
export interface DpopConfig {
  readonly algorithms: readonly string[];
  readonly iatWindowSeconds: number;
  readonly replayStore: DpopReplayStore;
  readonly required: boolean;
  readonly nonce: DpopNonceProvider | undefined;
}

/** What a request gives for its proof. */
export interface DpopRequest {
  /** The `DPoP` header value; undefined when absent or repeated. */
  readonly proof: string | undefined;
  /** The HTTP method. */
  readonly method: string;
  /** The request URL; query and fragment are ignored. */
  readonly url: string;
}

/**
 * Validates the `dpop` option.
 *
 * @throws TypeError naming the option when it is invalid.
 */
export function checkDpop(value: unknown): DpopConfig | undefined {
  if (value === undefined) return undefined;
  const input = (value ?? {}) as DpopOptions;
  const algorithms = input.algorithms ?? DEFAULT_ALGORITHMS;
  if (
    !Array.isArray(algorithms) ||
    algorithms.length === 0 ||
    !algorithms.every(isAsymmetricAlgorithm)
  ) {
    throw configError(
      PACKAGE_NAME,
      'dpop.algorithms',
      'must list asymmetric algorithms',
    );
  }

  const window = input.iatWindowSeconds ?? DEFAULT_IAT_WINDOW_SECONDS;
  if (!Number.isInteger(window) || window <= 0) {
    throw configError(
      PACKAGE_NAME,
      'dpop.iatWindowSeconds',
      'must be a positive integer (seconds)',
    );
  }

  if (
    input.replayStore !== undefined &&
    typeof input.replayStore.markIfAbsent !== 'function'
  ) {
    throw configError(
      PACKAGE_NAME,
      'dpop.replayStore',
      'must have a claim function',
    );
  }

  const nonce = input.nonce;
  if (
    nonce !== undefined &&
    typeof nonce !== 'boolean' &&
    (typeof nonce?.current !== 'function' ||
      typeof nonce.isValid !== 'function')
  ) {
    throw configError(
      PACKAGE_NAME,
      'dpop.nonce',
      'must be a boolean or a nonce provider',
    );
  }

  return Object.freeze({
    nonce: nonce === true ? createNonceProvider() : nonce || undefined,
    algorithms: Object.freeze([...algorithms]),
    iatWindowSeconds: window,
    replayStore: input.replayStore ?? createMemoryReplayCache(),
    required: input.required === true,
  });
}

function targetUri(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return undefined;
  }
}

async function claimJti(config: DpopConfig, jti: string, iat: number) {
  let first: boolean;
  try {
    // A proof is acceptable until iat + window; remember it twice as long.
    const nowSeconds = Math.floor(Date.now() / 1000);
    const until = iat + 2 * config.iatWindowSeconds;
    const ttlSeconds = Math.max(1, until - nowSeconds);
    first = await config.replayStore.markIfAbsent(`dpop:${jti}`, ttlSeconds);
  } catch (error) {
    throw new GuardUnavailableError('JWT_GUARD_DPOP_UNAVAILABLE', error);
  }

  if (!first)
    throw new DpopProofError('JWT_GUARD_DPOP_REPLAY', config.algorithms);
}

/**
 * Checks the proof of `request` for `token`, whose `cnf.jkt` is `jkt`.
 *
 * @throws DpopProofError (401) when the proof fails a check.
 * @throws GuardUnavailableError (503) when the replay store fails.
 */
export async function checkDpopProof(
  config: DpopConfig,
  request: DpopRequest,
  token: string,
  jkt: unknown,
  nowSeconds: number,
): Promise<void> {
  const fail = (reason: GuardReason = 'JWT_GUARD_DPOP_INVALID') =>
    new DpopProofError(reason, config.algorithms);
  if (request.proof === undefined) throw fail();

  let parsed: ReturnType<typeof parseToken>;
  try {
    parsed = parseToken(request.proof);
  } catch {
    throw fail();
  }

  const { header, claims } = parsed;
  const alg = header.alg as string;
  if (header.typ !== 'dpop+jwt' || !config.algorithms.includes(alg))
    throw fail();
  if (header.crit !== undefined) throw fail();
  const jwk = header.jwk as JWK | undefined;
  if (typeof jwk !== 'object' || jwk === null) throw fail();
  // importKeySet drops private keys, so a proof can never carry one.
  const lookup = lookupKey(
    importKeySet({ keys: [{ ...jwk, kid: undefined }] }),
    undefined,
    alg,
  );
  if (!('found' in lookup)) throw fail();
  if (
    !verifySignature(alg, lookup.found, parsed.signingInput, parsed.signature)
  )
    throw fail();

  const { htm, htu, iat, jti, ath } = claims;
  if (htm !== request.method || typeof htu !== 'string') throw fail();
  if (targetUri(htu) === undefined || targetUri(htu) !== targetUri(request.url))
    throw fail();
  if (
    typeof iat !== 'number' ||
    Math.abs(nowSeconds - iat) > config.iatWindowSeconds
  ) {
    throw fail();
  }

  const hash = createHash('sha256').update(token, 'ascii').digest('base64url');
  if (ath !== hash || typeof jti !== 'string' || jti.length === 0) throw fail();
  if (typeof jkt !== 'string' || jkt !== (await calculateJwkThumbprint(jwk))) {
    throw fail('JWT_GUARD_DPOP_BINDING');
  }

  // RFC 9449 section 9: checked last, so that only an otherwise valid
  // proof learns the nonce.
  const nonce = config.nonce;
  if (nonce !== undefined) {
    if (typeof claims.nonce !== 'string' || !nonce.isValid(claims.nonce)) {
      throw new DpopNonceError(nonce.current(), config.algorithms);
    }
  }

  await claimJti(config, jti, iat);
}
