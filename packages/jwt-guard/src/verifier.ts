/**
 * The verifier core, usable without Express: checks a compact JWS access
 * token (RFC 7515, RFC 7519, RFC 9068) against the trusted issuers and
 * returns its verified context, emitting one audit event per outcome.
 */

import type { JWTPayload, ProtectedHeaderParameters } from 'jose';

import type { AuthError } from '@portcullis/core';

import type { ClaimRuleSet } from './claim-options.js';
import { checkHeader } from './check-header.js';
import { checkClaims } from './claims.js';
import { checkDpopProof } from './dpop.js';
import type { DpopRequest } from './dpop.js';
import { DpopProofError } from './errors.js';
import { createIntrospector } from './introspection.js';
import { checkCertificateBinding } from './mtls.js';
import { TokenRejectedError } from './errors.js';
import { createKeySources } from './key-sources.js';
import { toAuthError } from './map-error.js';
import { normalizeOptions, warnAboutRiskyOptions } from './options.js';
import type { GuardConfig, VerifierOptions } from './options.js';
import { parseToken } from './parse-token.js';
import { reportAccepted, reportRefused } from './report.js';
import type { AuthContext } from './request-auth.js';
import { checkDenyList, checkRevocation } from './revocation.js';
import { readScopes } from './scopes.js';
import { verifySignature } from './verify-signature.js';
import { TokenCache } from './token-cache.js';
import type { TokenCacheStats } from './token-cache.js';

/** Per-call settings of {@link Verifier.verify}. */
export interface VerifyContext {
  /** The time to verify at, in epoch milliseconds. Default: the clock. */
  readonly now?: number;
  /**
   * The authorization scheme the token came with. `dpop` requires `proof`
   * and the `dpop` option. Default: `bearer`.
   */
  readonly scheme?: 'bearer' | 'dpop';
  /** The DPoP proof and request, for the `dpop` scheme. */
  readonly dpop?: DpopRequest;
  /**
   * The client certificate (DER) of the connection, for RFC 8705 bound
   * tokens. A token with `cnf.x5t#S256` is refused without it.
   */
  readonly certificate?: Uint8Array;
  /** Refuse tokens that are not certificate-bound. Default: false. */
  readonly requireCertificateBinding?: boolean;
}

/** A verifier built by {@link createVerifier}. */
export interface Verifier {
  /**
   * Verifies `token` and resolves with its context.
   *
   * @throws TokenRejectedError (401) when the token is refused.
   * @throws GuardUnavailableError (503) when keys or deny-list cannot
   * answer.
   */
  verify(token: string, context?: VerifyContext): Promise<AuthContext>;
  /** Fetches every remote JWKS now; rejects when one cannot be loaded. */
  preload(): Promise<void>;
  /** Stops background refresh timers. */
  close(): void;
  /** Counters of the verified-token cache (zeros when it is off). */
  cacheStats(): TokenCacheStats;
  /** The normalised configuration. */
  readonly config: GuardConfig;
}

/**
 * Creates a verifier from `options` (see `VerifierOptions`); validates them
 * once and throws a TypeError naming the option at startup.
 *
 * Steps: size limit, decode, `alg` allowlist of the issuer named by `iss`,
 * `crit`, `typ`, the key of that issuer only (by `kid`, bound to its type),
 * the signature, then `iss`, `exp` (required), `nbf`, `iat`, age,
 * audience, required claims, the revocation hook and the deny-list.
 *
 * Limitations: an unknown kid during a JWKS outage answers 503 (LIM-011).
 *
 * @example
 * const verifier = createVerifier({
 *   issuer: 'https://auth.example.com',
 *   audience: 'https://api.example.com',
 *   jwksUri: 'https://auth.example.com/.well-known/jwks.json',
 *   algorithms: ['ES256'],
 * });
 * const { claims } = await verifier.verify(token);
 */
export function createVerifier(options: VerifierOptions): Verifier {
  return buildVerifier(normalizeOptions(options));
}

/** Builds a verifier from an already normalised config. */
export function buildVerifier(config: GuardConfig): Verifier {
  warnAboutRiskyOptions(config);
  const sources = createKeySources(config);
  const rulesOf = (issuer: string): ClaimRuleSet =>
    config.rules.get(issuer) ?? config;
  const cache =
    config.tokenCache === undefined
      ? undefined
      : new TokenCache(
          config.tokenCache.maxEntries,
          config.tokenCache.maxBytes,
        );
  const introspector =
    config.introspection === undefined
      ? undefined
      : createIntrospector(config.introspection, config.jwks.timeoutMs);

  // RFC 7662 answers carry optional claims: `exp` is checked when present,
  // the audience and `claimValues` always.
  async function runIntrospection(
    token: string,
    nowMs: number,
    context: VerifyContext,
  ): Promise<AuthContext> {
    const now = nowMs / 1000;
    const claims = await (
      introspector as NonNullable<typeof introspector>
    ).introspect(token, now);
    const issuer = config.issuers.get(claims.iss as string);
    if (issuer === undefined) {
      throw new TokenRejectedError('JWT_GUARD_ISSUER_UNKNOWN');
    }

    checkClaims(
      { exp: Math.floor(now) + 1, ...claims },
      {
        ...config,
        ...rulesOf(issuer.issuer),
        issuer: issuer.issuer,
        audiences: issuer.audiences,
        requiredClaims: [],
      },
      now,
    );
    return finish(token, {}, claims, issuer.issuer, context, now);
  }

  async function finish(
    token: string,
    header: Record<string, unknown>,
    claims: Readonly<Record<string, unknown>>,
    issuer: string,
    context: VerifyContext,
    nowSeconds: number,
  ): Promise<AuthContext> {
    await checkBinding(token, claims, context, nowSeconds);
    await checkRevocation(config.isRevoked, claims as JWTPayload);
    await checkDenyList(config.denyList, claims);
    return Object.freeze({
      token,
      header: Object.freeze({ ...header }) as ProtectedHeaderParameters,
      claims: Object.freeze({ ...claims }) as JWTPayload,
      scopes: readScopes(claims, rulesOf(issuer).scopeClaims),
      issuer,
    });
  }

  // RFC 9449 section 7.2: a DPoP-bound token (cnf.jkt) is never accepted
  // as a bearer token, and the DPoP scheme needs a proof that binds it.
  async function checkBinding(
    token: string,
    claims: Readonly<Record<string, unknown>>,
    context: VerifyContext,
    nowSeconds: number,
  ): Promise<void> {
    checkCertificateBinding(
      claims,
      context.certificate,
      context.requireCertificateBinding === true,
    );
    const jkt = (claims.cnf as { jkt?: unknown } | undefined)?.jkt;
    const dpop = config.dpop;
    const algorithms = dpop?.algorithms ?? [];
    if (context.scheme !== 'dpop') {
      if (jkt !== undefined || dpop?.required === true) {
        throw new DpopProofError('JWT_GUARD_DPOP_BINDING', algorithms);
      }

      return;
    }

    if (dpop === undefined || context.dpop === undefined) {
      throw new DpopProofError('JWT_GUARD_DPOP_INVALID', algorithms);
    }

    await checkDpopProof(dpop, context.dpop, token, jkt, nowSeconds);
  }

  function checkClaimsOf(
    claims: Readonly<Record<string, unknown>>,
    issuer: string,
    nowMs: number,
  ): void {
    const entry = config.issuers.get(issuer);
    checkClaims(
      claims,
      {
        ...config,
        ...rulesOf(issuer),
        issuer,
        audiences: entry?.audiences ?? [],
      },
      nowMs / 1000,
    );
  }

  // A hit skips parsing and the signature, and only while the key that
  // verified the token is still the issuer's key for its kid; everything
  // that can change is checked again.
  async function fromCache(
    token: string,
    nowMs: number,
    context: VerifyContext,
  ): Promise<AuthContext | undefined> {
    const cached = cache?.get(token);
    if (cached === undefined) return undefined;

    const source = sources.get(cached.issuer);
    const key = await source
      ?.selectKey(cached.kid, cached.alg)
      .catch(() => undefined);
    if (key !== cached.key) {
      cache?.delete(token);
      return undefined;
    }

    try {
      checkClaimsOf(cached.claims, cached.issuer, nowMs);
    } catch (error) {
      cache?.delete(token);
      throw error;
    }
    return finish(
      token,
      cached.header,
      cached.claims,
      cached.issuer,
      context,
      nowMs / 1000,
    );
  }

  async function run(
    token: string,
    nowMs: number,
    context: VerifyContext,
  ): Promise<AuthContext> {
    if (Buffer.byteLength(token) > config.maxTokenBytes) {
      throw new TokenRejectedError('JWT_GUARD_TOO_LARGE');
    }

    // A token that is not a compact JWS is opaque: introspect it if asked.
    if (introspector !== undefined && token.split('.').length !== 3) {
      return runIntrospection(token, nowMs, context);
    }

    const hit = await fromCache(token, nowMs, context);
    if (hit !== undefined) return hit;

    const parsed = parseToken(token);
    const issuer = config.issuers.get(parsed.claims.iss as string);
    const source = sources.get(parsed.claims.iss as string);
    if (issuer === undefined || source === undefined) {
      throw new TokenRejectedError('JWT_GUARD_ISSUER_UNKNOWN');
    }

    const alg = checkHeader(rulesOf(issuer.issuer), parsed);
    if (!issuer.algorithms.includes(alg)) {
      throw new TokenRejectedError('JWT_GUARD_ALG_NOT_ALLOWED');
    }

    const kid = parsed.header.kid as string | undefined;
    const key = await source.selectKey(kid, alg);
    if (!verifySignature(alg, key, parsed.signingInput, parsed.signature)) {
      throw new TokenRejectedError('JWT_GUARD_BAD_SIGNATURE');
    }

    checkClaimsOf(parsed.claims, issuer.issuer, nowMs);
    cache?.set(token, {
      header: parsed.header,
      claims: parsed.claims,
      issuer: issuer.issuer,
      alg,
      kid,
      key,
    });
    return finish(
      token,
      parsed.header,
      parsed.claims,
      issuer.issuer,
      context,
      nowMs / 1000,
    );
  }

  function finalError(error: unknown): AuthError {
    const authError = toAuthError(error);
    if (config.debugReasons && authError instanceof TokenRejectedError) {
      return new TokenRejectedError(authError.reason, authError.cause, true);
    }

    return authError;
  }

  return Object.freeze({
    config,
    cacheStats(): TokenCacheStats {
      return cache?.stats() ?? { entries: 0, bytes: 0, hits: 0, misses: 0 };
    },
    async verify(token: string, context: VerifyContext = {}) {
      const nowMs = context.now ?? config.clock();
      try {
        const auth = await run(String(token), nowMs, context);
        reportAccepted(config, 'JWT_GUARD_OK', auth.issuer, auth.claims.sub);
        return auth;
      } catch (error) {
        const authError = finalError(error);
        reportRefused(config, authError);
        throw authError;
      }
    },
    async preload() {
      await Promise.all([...sources.values()].map((s) => s.preload()));
    },
    close() {
      for (const source of sources.values()) source.close();
    },
  });
}
