/**
 * The in-memory RefreshTokenStore. JavaScript runs one callback at a time,
 * so each operation below is atomic as long as it does not await.
 */

import { StoreConflictError } from './errors.js';
import { buildFamily, decideRotation } from './refresh-rotation.js';
import type { RefreshFamily, RefreshTokenStore } from './ports.js';

/** Options of {@link createMemoryRefreshTokenStore}. */
export interface MemoryRefreshTokenStoreOptions {
  /** Clock in epoch milliseconds. Default: `Date.now`. */
  now?: () => number;
}

/** Creates a RefreshTokenStore held in this process. */
export function createMemoryRefreshTokenStore(
  options: MemoryRefreshTokenStoreOptions = {},
): RefreshTokenStore {
  const now = options.now ?? Date.now;
  const families = new Map<string, RefreshFamily>();
  const familyOfHash = new Map<string, string>();

  const live = (familyId: string | undefined): RefreshFamily | undefined => {
    if (familyId === undefined) return undefined;

    const family = families.get(familyId);
    if (family === undefined || now() < family.absoluteExpiresAtMs) {
      return family;
    }
    families.delete(familyId);
    return undefined;
  };

  return {
    async create(input) {
      if (families.has(input.familyId) || familyOfHash.has(input.tokenHash)) {
        throw new StoreConflictError('refresh-token family');
      }

      const family = buildFamily(input, now());
      families.set(family.familyId, family);
      familyOfHash.set(input.tokenHash, family.familyId);
      return structuredClone(family);
    },
    async rotate(input) {
      const family = live(familyOfHash.get(input.presentedHash));
      if (family === undefined) return { status: 'not_found' };

      const { result, next } = decideRotation(family, input, now());
      if (
        result.status === 'rotated' &&
        familyOfHash.has(input.successorHash)
      ) {
        throw new StoreConflictError('refresh token hash');
      }
      if (next !== undefined) families.set(next.familyId, next);
      if (result.status === 'rotated') {
        familyOfHash.set(input.successorHash, family.familyId);
      }
      return structuredClone(result);
    },
    async revokeFamily(familyId) {
      const family = live(familyId);
      if (family === undefined || family.revokedAtMs !== undefined) {
        return false;
      }

      families.set(familyId, { ...family, revokedAtMs: now() });
      return true;
    },
    async revokeBySession(sessionId) {
      const revoked: RefreshFamily[] = [];
      for (const familyId of [...families.keys()].sort()) {
        const family = live(familyId);
        if (family?.sessionId !== sessionId) continue;
        if (family.revokedAtMs !== undefined) continue;

        const next = { ...family, revokedAtMs: now() };
        families.set(familyId, next);
        revoked.push(structuredClone(next));
      }
      return revoked;
    },
    async findByTokenHash(tokenHash) {
      const family = live(familyOfHash.get(tokenHash));
      return family === undefined ? undefined : structuredClone(family);
    },
    async getFamily(familyId) {
      const family = live(familyId);
      return family === undefined ? undefined : structuredClone(family);
    },
  };
}
