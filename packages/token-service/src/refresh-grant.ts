/**
 * Refresh tokens (RFC 9700 section 4.14.2): opaque, grouped in families
 * bound to a client (and a session), rotated on every use through the
 * store's compare-and-set. A retry inside the grace window receives the
 * same successor; any other reuse revokes the family, deny-lists its `sid`
 * and emits an audit event.
 */

import { randomUUID } from 'node:crypto';

import {
  InvalidGrantError,
  TemporarilyUnavailableError,
  isAuthError,
} from '@portcullis/core';
import type { RefreshFamily, RefreshTokenStore } from '@portcullis/stores';

import type { IssuedAccessToken, MintAccessToken } from './access-token.js';
import { InvalidScopeError } from './oauth-errors.js';
import type { TokenServiceConfig } from './options.js';
import { PACKAGE_NAME } from './package-name.js';
import {
  deriveSuccessor,
  hashRefreshToken,
  looksLikeRefreshToken,
  newRefreshToken,
} from './refresh-token-value.js';

/** Input of `issueRefreshToken`. */
export interface RefreshTokenInput {
  /** Required. The client the family is bound to. */
  clientId: string;
  /** Required. The `sub` of the access tokens it renews. */
  subject: string;
  /** Granted scopes. Default: none. */
  scope?: readonly string[];
  /** The session the family is bound to (a public handle). Default: none. */
  sessionId?: string;
  /** `aud` of the renewed access tokens. Default: the service's `audience`. */
  audience?: string;
}

/** A new refresh-token family. */
export interface IssuedRefreshToken {
  /** The opaque token; shown once, stored only as a hash. */
  refreshToken: string;
  /** The family id. */
  familyId: string;
  /**
   * The `sid` that access tokens of this family carry: the session id when
   * given, else the family id. Pass it as `sessionId` to `mintAccessToken`
   * for the first access token so that reuse deny-lists it too.
   */
  sid: string;
  /** End of the absolute lifetime, in epoch seconds. */
  expiresAt: number;
}

/** Input of `refresh`. */
export interface RefreshInput {
  /** Required. The token the client presented. */
  refreshToken: string;
  /** Required. The authenticated client. */
  clientId: string;
  /** A narrower scope for the new access token. Default: the family's. */
  scope?: readonly string[];
}

/** The result of a refresh: an access token and the successor. */
export interface RefreshedTokens extends IssuedAccessToken {
  /** The successor refresh token. */
  refreshToken: string;
  /** The scopes of the new access token. */
  scope: readonly string[];
}

/** Refresh-token operations bound to a config and a minter. */
export interface RefreshGrant {
  issueRefreshToken(input: RefreshTokenInput): Promise<IssuedRefreshToken>;
  refresh(input: RefreshInput): Promise<RefreshedTokens>;
}

const INVALID_GRANT = 'the refresh token is invalid, expired or revoked';

function unavailable(cause: unknown): Error {
  if (isAuthError(cause)) return cause;
  return new TemporarilyUnavailableError(
    'the token store is temporarily unavailable',
    { cause },
  );
}

function inputError(field: string, expected: string): TypeError {
  return new TypeError(`${PACKAGE_NAME}: refresh input "${field}" ${expected}`);
}

function requireText(field: string, value: unknown): string {
  if (typeof value === 'string' && value.length > 0) return value;
  throw inputError(field, 'must be a non-empty string');
}

function requireStore(config: TokenServiceConfig): RefreshTokenStore {
  if (config.refreshTokens !== undefined) return config.refreshTokens;
  throw new TypeError(
    `${PACKAGE_NAME}: option "refreshTokens" is required for refresh tokens`,
  );
}

/** The `sid` carried by the family's access tokens. */
export function familySid(family: RefreshFamily): string {
  return family.sessionId ?? family.familyId;
}

function narrowScope(
  family: RefreshFamily,
  requested: readonly string[] | undefined,
): readonly string[] {
  const granted = family.scope === '' ? [] : family.scope.split(' ');
  if (requested === undefined) return granted;
  if (!requested.every((s) => granted.includes(s))) {
    throw new InvalidScopeError('the scope exceeds the one granted');
  }
  return [...new Set(requested)];
}

/** Creates `issueRefreshToken` and `refresh` for the service. */
export function createRefreshGrant(
  config: TokenServiceConfig,
  mint: MintAccessToken,
): RefreshGrant {
  async function denyListFamily(family: RefreshFamily): Promise<void> {
    if (config.denyList === undefined) return;
    const until =
      Math.floor(Date.now() / 1000) + config.accessTokenTtlSeconds + 1;
    await config.denyList.add(familySid(family), until);
  }

  async function onReuse(family: RefreshFamily): Promise<never> {
    config.audit?.emit('token.rejected', { code: 'refresh_token_reused' });
    config.logger.warn('refresh token reused; family revoked', {
      familyId: family.familyId,
      clientId: family.clientId,
    });
    try {
      await denyListFamily(family);
    } catch (error) {
      throw unavailable(error);
    }
    throw new InvalidGrantError(INVALID_GRANT);
  }

  async function issueRefreshToken(
    input: RefreshTokenInput,
  ): Promise<IssuedRefreshToken> {
    const store = requireStore(config);
    const clientId = requireText('clientId', input?.clientId);
    const subject = requireText('subject', input?.subject);
    const sessionId =
      input.sessionId === undefined
        ? undefined
        : requireText('sessionId', input.sessionId);
    const audience = input.audience ?? config.audience;
    if (audience === undefined) {
      throw inputError(
        'audience',
        'is required when option "audience" is unset',
      );
    }
    requireText('audience', audience);
    const scope = input.scope ?? [];
    if (!Array.isArray(scope) || scope.some((s) => typeof s !== 'string')) {
      throw inputError('scope', 'must be an array of strings');
    }

    const refreshToken = newRefreshToken();
    const familyId = randomUUID();
    let family: RefreshFamily;
    try {
      family = await store.create({
        familyId,
        clientId,
        subject,
        sessionId,
        scope: [...new Set(scope)].join(' '),
        tokenHash: hashRefreshToken(refreshToken),
        idleTtlSeconds: config.refreshIdleTtlSeconds,
        absoluteTtlSeconds: config.refreshAbsoluteTtlSeconds,
        data: { audience },
      });
    } catch (error) {
      throw unavailable(error);
    }

    return {
      refreshToken,
      familyId,
      sid: familySid(family),
      expiresAt: Math.floor(family.absoluteExpiresAtMs / 1000),
    };
  }

  async function refresh(input: RefreshInput): Promise<RefreshedTokens> {
    const store = requireStore(config);
    const clientId = requireText('clientId', input?.clientId);
    const presented = input.refreshToken;
    if (typeof presented !== 'string' || !looksLikeRefreshToken(presented)) {
      throw new InvalidGrantError(INVALID_GRANT);
    }

    const successor = deriveSuccessor(config.refreshTokenSecret, presented);
    let result;
    try {
      result = await store.rotate({
        presentedHash: hashRefreshToken(presented),
        successorHash: hashRefreshToken(successor),
        clientId,
        graceSeconds: config.refreshGraceSeconds,
      });
    } catch (error) {
      throw unavailable(error);
    }

    if (result.status === 'reused') return onReuse(result.family);
    if (result.status !== 'rotated' && result.status !== 'retry') {
      throw new InvalidGrantError(INVALID_GRANT);
    }

    const family = result.family;
    const scope = narrowScope(family, input.scope);
    const audience =
      typeof family.data.audience === 'string'
        ? family.data.audience
        : config.audience;
    if (audience === undefined) throw new InvalidGrantError(INVALID_GRANT);
    const issued = await mint({
      subject: family.subject,
      audience,
      clientId: family.clientId,
      scope,
      sessionId: familySid(family),
    });
    return { ...issued, refreshToken: successor, scope };
  }

  return { issueRefreshToken, refresh };
}
