/**
 * The rotation decision for refresh-token families (RFC 9700 section
 * 4.14.2), shared by the adapters that decide in JavaScript while holding
 * the family's lock. The Redis adapter runs the same rules in Lua.
 */

import type {
  NewRefreshFamily,
  RefreshFamily,
  RotateRefreshToken,
  RotateResult,
} from './ports.js';

/** Builds the stored form of a new family at `nowMs`. */
export function buildFamily(
  input: NewRefreshFamily,
  nowMs: number,
): RefreshFamily {
  const absoluteExpiresAtMs = nowMs + input.absoluteTtlSeconds * 1000;
  const family: RefreshFamily = {
    familyId: input.familyId,
    clientId: input.clientId,
    subject: input.subject,
    scope: input.scope,
    data: structuredClone(input.data ?? {}),
    currentTokenHash: input.tokenHash,
    generation: 0,
    createdAtMs: nowMs,
    rotatedAtMs: nowMs,
    idleTtlSeconds: input.idleTtlSeconds,
    idleExpiresAtMs: Math.min(
      nowMs + input.idleTtlSeconds * 1000,
      absoluteExpiresAtMs,
    ),
    absoluteExpiresAtMs,
  };
  if (input.sessionId !== undefined) family.sessionId = input.sessionId;
  if (input.dpopJkt !== undefined) family.dpopJkt = input.dpopJkt;
  return family;
}

/** True when the family can no longer be used at `nowMs`. */
export function isExpired(family: RefreshFamily, nowMs: number): boolean {
  return nowMs >= family.idleExpiresAtMs || nowMs >= family.absoluteExpiresAtMs;
}

/**
 * Decides a rotation of `family` (found through the presented hash) at
 * `nowMs`. Returns the result and, when the family changes, its new state.
 */
export function decideRotation(
  family: RefreshFamily,
  input: RotateRefreshToken,
  nowMs: number,
): { result: RotateResult; next?: RefreshFamily } {
  if (family.clientId !== input.clientId) {
    return { result: { status: 'client_mismatch' } };
  }

  if (family.revokedAtMs !== undefined) {
    return { result: { status: 'revoked', family } };
  }

  if (isExpired(family, nowMs))
    return { result: { status: 'expired', family } };

  if (family.currentTokenHash === input.presentedHash) {
    const next: RefreshFamily = {
      ...family,
      data: structuredClone(input.data ?? family.data),
      currentTokenHash: input.successorHash,
      previousTokenHash: input.presentedHash,
      graceUntilMs: nowMs + input.graceSeconds * 1000,
      generation: family.generation + 1,
      rotatedAtMs: nowMs,
      idleExpiresAtMs: Math.min(
        nowMs + family.idleTtlSeconds * 1000,
        family.absoluteExpiresAtMs,
      ),
    };
    return { result: { status: 'rotated', family: next }, next };
  }

  const benignRetry =
    family.previousTokenHash === input.presentedHash &&
    family.currentTokenHash === input.successorHash &&
    nowMs < (family.graceUntilMs ?? 0);
  if (benignRetry) return { result: { status: 'retry', family } };

  const next: RefreshFamily = { ...family, revokedAtMs: nowMs };
  return { result: { status: 'reused', family: next }, next };
}
