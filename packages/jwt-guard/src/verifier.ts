/**
 * The verifier core, usable without Express: checks a compact JWS access
 * token (RFC 7515, RFC 7519, RFC 9068) against the trusted issuers and
 * returns its verified context, emitting one audit event per outcome.
 */

import type { KeyObject } from 'node:crypto';

import type { JWTPayload, ProtectedHeaderParameters } from 'jose';

import type { AuthError } from '@portcullis/core';

import type { ClaimRuleSet } from './claim-options.js';
import type { ClaimRules } from './claims.js';
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
import type { ParsedToken } from './parse-token.js';
import { reportAccepted, reportRefused } from './report.js';
import type { AuthContext } from './request-auth.js';
import { checkDenyList, checkRevocation } from './revocation.js';
import { readScopes } from './scopes.js';
import { signatureThreadFor } from './signature-thread.js';
import type { SignatureThread } from './signature-thread.js';
import { verifySignatureOnWorker } from './signature-worker.js';
import { verifySignature, verifySignatureAsync } from './verify-signature.js';
import { TokenCache } from './token-cache.js';
import type { CachedToken, TokenCacheStats } from './token-cache.js';
import { deepFreeze } from './deep-freeze.js';
import { createDenyListView } from './deny-list-view.js';
import { lookupKey } from './key-set.js';
import type { KeySource } from './key-source.js';

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
  /**
   * Answers from the verified-token cache without waiting, when the token
   * is cached and nothing left to check needs I/O (no `isRevoked`, no DPoP
   * proof, keys fresh, and no `denyList` or a reusable "not listed" answer
   * from it, see `denyList.cacheSeconds`). Returns undefined when it cannot
   * answer so: call `verify` then.
   *
   * @throws the errors of `verify` when the cached token is now refused.
   */
  verifyCached(token: string, context?: VerifyContext): AuthContext | undefined;
  /** Fetches every remote JWKS now; rejects when one cannot be loaded. */
  preload(): Promise<void>;
  /** Stops background refresh timers and the deny-list subscription. */
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

// The signature of `parsed` checked where `thread` says; a boolean when
// checked on the event loop, without a promise hop.
function checkSignature(
  thread: Exclude<SignatureThread, 'auto'>,
  alg: string,
  key: KeyObject,
  parsed: ParsedToken,
): boolean | Promise<boolean> {
  const { signingInput, signature } = parsed;
  if (thread === 'event-loop') {
    return verifySignature(alg, key, signingInput, signature);
  }

  return thread === 'worker'
    ? verifySignatureOnWorker(alg, key, signingInput, signature)
    : verifySignatureAsync(alg, key, signingInput, signature);
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
  const denyListView =
    config.denyList === undefined
      ? undefined
      : createDenyListView(
          config.denyList.store,
          config.denyList.cacheSeconds * 1000,
          config.logger,
        );
  // Whether the deny-list can be cleared without asking the store.
  function denyListClearNow(
    claims: Readonly<Record<string, unknown>>,
    nowMs: number,
  ): boolean {
    if (config.denyList === undefined || denyListView === undefined) {
      return true;
    }

    const key = claims[config.denyList.claim];
    return typeof key === 'string' && denyListView.knownClear(key, nowMs);
  }
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
    const auth = buildContext(token, {}, { ...claims }, issuer.issuer);
    await checkDynamic(auth, context, nowMs);
    return auth;
  }

  // The context handed to the application: frozen; with the cache on, its
  // header and claims are frozen all the way down, since every hit hands
  // out the same object.
  const freezeClaims =
    cache === undefined ? <T>(value: T): T => Object.freeze(value) : deepFreeze;
  function buildContext(
    token: string,
    header: Readonly<Record<string, unknown>>,
    claims: Readonly<Record<string, unknown>>,
    issuer: string,
  ): AuthContext {
    return Object.freeze({
      token,
      header: freezeClaims(header) as ProtectedHeaderParameters,
      claims: freezeClaims(claims) as JWTPayload,
      scopes: readScopes(claims, rulesOf(issuer).scopeClaims),
      issuer,
    });
  }

  // What can change for a token already verified: binding proofs,
  // revocation and the deny-list. Undefined when all of it was checked
  // without waiting (no DPoP proof, no revocation hook, no deny-list).
  function checkDynamic(
    auth: AuthContext,
    context: VerifyContext,
    nowMs: number,
  ): Promise<void> | undefined {
    if (noIoLeft(auth.claims, context, nowMs)) {
      checkBindingNow(auth.claims, context);
      return undefined;
    }

    return checkDynamicLater(auth, context, nowMs);
  }

  function noIoLeft(
    claims: Readonly<Record<string, unknown>>,
    context: VerifyContext,
    nowMs: number,
  ): boolean {
    return (
      config.isRevoked === undefined &&
      context.scheme !== 'dpop' &&
      denyListClearNow(claims, nowMs)
    );
  }

  async function checkDynamicLater(
    auth: AuthContext,
    context: VerifyContext,
    nowMs: number,
  ): Promise<void> {
    await checkBinding(auth.token, auth.claims, context, nowMs / 1000);
    await checkRevocation(config.isRevoked, auth.claims);
    await checkDenyList(config.denyList, denyListView, auth.claims, nowMs);
  }

  // RFC 9449 section 7.2: a DPoP-bound token (cnf.jkt) is never accepted
  // as a bearer token, and the DPoP scheme needs a proof that binds it.
  // The binding checks that need no I/O: the certificate, and that a
  // DPoP-bound token never passes as a bearer token.
  function checkBindingNow(
    claims: Readonly<Record<string, unknown>>,
    context: VerifyContext,
  ): void {
    checkCertificateBinding(
      claims,
      context.certificate,
      context.requireCertificateBinding === true,
    );
    if (context.scheme === 'dpop') return;
    const jkt = (claims.cnf as { jkt?: unknown } | undefined)?.jkt;
    if (jkt !== undefined || config.dpop?.required === true) {
      throw new DpopProofError(
        'JWT_GUARD_DPOP_BINDING',
        config.dpop?.algorithms ?? [],
      );
    }
  }

  async function checkBinding(
    token: string,
    claims: Readonly<Record<string, unknown>>,
    context: VerifyContext,
    nowSeconds: number,
  ): Promise<void> {
    checkBindingNow(claims, context);
    if (context.scheme !== 'dpop') return;
    const jkt = (claims.cnf as { jkt?: unknown } | undefined)?.jkt;
    const dpop = config.dpop;
    const algorithms = dpop?.algorithms ?? [];
    if (dpop === undefined || context.dpop === undefined) {
      throw new DpopProofError('JWT_GUARD_DPOP_INVALID', algorithms);
    }

    await checkDpopProof(dpop, context.dpop, token, jkt, nowSeconds);
  }

  // The claim rules of each issuer, merged once.
  const claimRules = new Map<string, ClaimRules>();
  for (const entry of config.issuers.values()) {
    claimRules.set(entry.issuer, {
      ...config,
      ...rulesOf(entry.issuer),
      issuer: entry.issuer,
      audiences: entry.audiences,
    });
  }

  function checkClaimsOf(
    claims: Readonly<Record<string, unknown>>,
    issuer: string,
    nowMs: number,
  ): void {
    const rules = claimRules.get(issuer);
    if (rules === undefined) {
      throw new TokenRejectedError('JWT_GUARD_ISSUER_UNKNOWN');
    }

    checkClaims(claims, rules, nowMs / 1000);
  }

  // Whether the key that verified a cached token is still the issuer's
  // key for its kid, told without waiting: true when it is; false when the
  // keys are not fresh (the caller then waits for them) or the key is gone
  // (the entry is then dropped).
  function keyStillCurrent(token: string, cached: CachedToken): boolean {
    const set = sources.get(cached.auth.issuer)?.freshSet();
    if (set === undefined) return false;
    if (set === cached.keySet) return true;
    const lookup = lookupKey(set, cached.kid, cached.alg);
    if ('found' in lookup && lookup.found === cached.key) {
      cached.keySet = set;
      return true;
    }

    cache?.delete(token);
    return false;
  }

  function checkCachedClaims(
    token: string,
    cached: CachedToken,
    nowMs: number,
  ): void {
    try {
      checkClaimsOf(cached.auth.claims, cached.auth.issuer, nowMs);
    } catch (error) {
      cache?.delete(token);
      throw error;
    }
  }

  // A hit answered without waiting, when nothing left to check needs I/O:
  // no revocation hook, no deny-list, no DPoP proof, fresh keys.
  function hitNow(
    token: string,
    nowMs: number,
    context: VerifyContext,
  ): AuthContext | undefined {
    if (cache === undefined) return undefined;
    const slot = cache.find(token);
    if (slot === undefined) return undefined;
    const cached = slot.entry;
    if (!keyStillCurrent(token, cached)) return undefined;
    if (!noIoLeft(cached.auth.claims, context, nowMs)) return undefined;
    checkCachedClaims(token, cached, nowMs);
    checkBindingNow(cached.auth.claims, context);
    cache.hit(slot);
    return cached.auth;
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

    const source = sources.get(cached.auth.issuer);
    const key = await source
      ?.selectKey(cached.kid, cached.alg)
      .catch(() => undefined);
    if (key !== cached.key) {
      cache?.delete(token);
      return undefined;
    }

    checkCachedClaims(token, cached, nowMs);
    const pending = checkDynamic(cached.auth, context, nowMs);
    if (pending !== undefined) await pending;
    return cached.auth;
  }

  // The key from fresh keys without waiting; undefined when the keys must
  // be loaded or the kid is unknown (selectKey then decides).
  function keyNow(
    source: KeySource,
    kid: string | undefined,
    alg: string,
  ): KeyObject | undefined {
    const set = source.freshSet();
    if (set === undefined) return undefined;
    const lookup = lookupKey(set, kid, alg);
    return 'found' in lookup ? lookup.found : undefined;
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
    const key = keyNow(source, kid, alg) ?? (await source.selectKey(kid, alg));
    const checked = checkSignature(
      signatureThreadFor(config.signatureThread, alg),
      alg,
      key,
      parsed,
    );
    const valid = typeof checked === 'boolean' ? checked : await checked;
    if (!valid) {
      throw new TokenRejectedError('JWT_GUARD_BAD_SIGNATURE');
    }

    checkClaimsOf(parsed.claims, issuer.issuer, nowMs);
    const auth = buildContext(
      token,
      parsed.header,
      parsed.claims,
      issuer.issuer,
    );
    cache?.set(token, { auth, alg, kid, key, keySet: source.freshSet() });
    const pending = checkDynamic(auth, context, nowMs);
    if (pending !== undefined) await pending;
    return auth;
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
    verifyCached(token: string, context: VerifyContext = {}) {
      const nowMs = context.now ?? config.clock();
      let auth: AuthContext | undefined;
      try {
        auth = hitNow(String(token), nowMs, context);
      } catch (error) {
        const authError = finalError(error);
        reportRefused(config, authError);
        throw authError;
      }

      if (auth !== undefined) {
        reportAccepted(config, 'JWT_GUARD_OK', auth.issuer, auth.claims.sub);
      }
      return auth;
    },
    async verify(token: string, context: VerifyContext = {}) {
      const nowMs = context.now ?? config.clock();
      try {
        const auth =
          hitNow(String(token), nowMs, context) ??
          (await run(String(token), nowMs, context));
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
      denyListView?.close();
    },
  });
}
