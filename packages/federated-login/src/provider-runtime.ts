/**
 * The per-provider machinery behind the router: the passport strategy
 * registered for each provider, its discovery cache and breaker, the
 * transaction binding the strategies share, and the checks that count
 * IdP outcomes against the breaker (RFC 9207 `iss` included).
 */

import { randomBytes } from 'node:crypto';

import type { Passport } from 'passport';
import type { Request } from 'express';

import { createDiscoveryCache } from './discovery-cache.js';
import { LoginError, toLoginError } from './errors.js';
import { createIdpBreaker } from './idp-breaker.js';
import { createOAuth2Strategy } from './oauth2-strategy.js';
import { OidcLoginStrategy } from './oidc-strategy.js';
import { sessionOf } from './session-access.js';
import { attachedTransaction } from './transaction-binding.js';
import { saveTransaction } from './transactions.js';
import type { DiscoveryCache } from './discovery-cache.js';
import type { IdpBreaker } from './idp-breaker.js';
import type { FederatedLoginConfig, ResolvedProvider } from './options.js';
import type { TransactionBinding } from './transaction-binding.js';
import type { LoginTransaction } from './transactions.js';

const STATE_BYTES = 32;
const RETURN_TO = Symbol('portcullis.login.returnTo');

/** A provider with its strategy's state: breaker and discovery. */
export interface ProviderRuntime {
  provider: ResolvedProvider;
  breaker: IdpBreaker;
  discovery: DiscoveryCache | undefined;
}

/** Records where this login attempt returns to, for the transaction. */
export function setReturnTo(req: Request, returnTo: string): void {
  (req as unknown as Record<symbol, unknown>)[RETURN_TO] = returnTo;
}

function stripSlash(url: string): string {
  return url.replace(/\/$/, '');
}

// Entra ID's multi-tenant metadata names its issuer with a `{tenantid}`
// placeholder; the response carries the tenant's own issuer.
function issuerMatches(iss: unknown, expected: string): boolean {
  if (typeof iss !== 'string') return false;
  if (!expected.includes('{tenantid}')) return iss === expected;
  const [before = '', after = ''] = expected.split('{tenantid}');
  const tenant =
    iss.startsWith(before) && iss.endsWith(after)
      ? iss.slice(before.length, iss.length - after.length)
      : '';
  return /^[\w-]{1,64}$/.test(tenant);
}

/** The transaction binding every strategy of one router shares. */
export function createBinding(
  config: FederatedLoginConfig,
): TransactionBinding {
  return {
    begin(req, seed) {
      const transaction: LoginTransaction = {
        ...seed,
        provider: String(req.params.provider),
        returnTo: String(
          (req as unknown as Record<symbol, unknown>)[RETURN_TO],
        ),
        expiresAt: config.clock() + config.transactionTtlMs,
      };
      const session = sessionOf(req);
      saveTransaction(
        session,
        transaction,
        config.maxPendingLogins,
        config.clock(),
      );
    },
    current: attachedTransaction,
  };
}

/** Builds a provider's breaker and discovery, and registers its strategy. */
export function createRuntime(
  config: FederatedLoginConfig,
  provider: ResolvedProvider,
  passport: InstanceType<typeof Passport>,
  binding: TransactionBinding,
): ProviderRuntime {
  const breaker = createIdpBreaker({
    failureThreshold: config.breakerFailureThreshold,
    cooldownMs: config.breakerCooldownMs,
  });
  const newState = () => randomBytes(STATE_BYTES).toString('base64url');
  if (provider.type === 'oauth2') {
    passport.use(
      provider.name,
      createOAuth2Strategy(provider, binding, {
        timeoutMs: config.idpTimeoutMs,
        newState,
      }),
    );
    return { provider, breaker, discovery: undefined };
  }

  const discovery = createDiscoveryCache(provider, {
    ttlMs: config.discoveryTtlMs,
    timeoutMs: config.idpTimeoutMs,
    onRefresh: (ok) =>
      ok ? breaker.recordSuccess() : breaker.recordFailure(config.clock()),
  });
  const strategy = new OidcLoginStrategy(provider, {
    discovery,
    transactions: binding,
    clock: config.clock,
    isUnavailable: () => breaker.isOpen(config.clock()),
  });
  passport.use(provider.name, strategy);
  return { provider, breaker, discovery };
}

/**
 * Maps an IdP call's failure to a LoginError and counts it: network
 * failures and 5xx count against the breaker and mark discovery stale; any
 * other answer shows the IdP is up.
 */
export function accountFor(
  runtime: ProviderRuntime,
  error: unknown,
  now: number,
): LoginError {
  const failure = toLoginError(error);
  if (failure.code === 'LOGIN_IDP_UNAVAILABLE') {
    runtime.breaker.recordFailure(now);
    runtime.discovery?.markStale();
  } else {
    runtime.breaker.recordSuccess();
  }
  return failure;
}

async function expectedIssuer(runtime: ProviderRuntime, now: number) {
  if (runtime.discovery === undefined) {
    return {
      issuer: stripSlash(runtime.provider.issuer.href),
      required: false,
    };
  }
  const metadata = (await runtime.discovery.get(now)).serverMetadata();
  return {
    issuer: metadata.issuer,
    required: metadata.authorization_response_iss_parameter_supported === true,
  };
}

/**
 * RFC 9207 section 2.4: a sent `iss` must be the provider's; when the
 * provider advertises support, a missing one is refused too.
 *
 * @throws LoginError LOGIN_ISSUER_MISMATCH
 */
export async function checkIssuer(
  runtime: ProviderRuntime,
  iss: unknown,
  now: number,
): Promise<void> {
  const expected = await expectedIssuer(runtime, now);
  if (iss === undefined && !expected.required) return;
  if (!issuerMatches(iss, expected.issuer)) {
    throw new LoginError('LOGIN_ISSUER_MISMATCH');
  }
}
