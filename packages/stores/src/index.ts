/**
 * Storage ports of Portcullis and their memory, Redis and PostgreSQL
 * adapters.
 */

export type {
  AttemptCounter,
  DenyList,
  DenyListListener,
  DenyListStatusListener,
  KeyStore,
  NewRefreshFamily,
  RefreshFamily,
  RefreshTokenStore,
  ReplayCache,
  RotateRefreshToken,
  RotateResult,
  SessionRecord,
  SessionStore,
  SigningKeyRecord,
  SigningKeyState,
} from './ports.js';
export { StoreConflictError, StoreUnavailableError } from './errors.js';
export { MemoryTtlMap } from './memory-ttl-map.js';
export type { MemoryTtlMapOptions } from './memory-ttl-map.js';
export { createMemorySessionStore } from './memory-session-store.js';
export type { MemorySessionStoreOptions } from './memory-session-store.js';
export { createMemoryDenyList } from './memory-deny-list.js';
export type { MemoryDenyListOptions } from './memory-deny-list.js';
export { createMemoryReplayCache } from './memory-replay-cache.js';
export type { MemoryReplayCacheOptions } from './memory-replay-cache.js';
export { createMemoryAttemptCounter } from './memory-attempt-counter.js';
export type { MemoryAttemptCounterOptions } from './memory-attempt-counter.js';
export { createMemoryRefreshTokenStore } from './memory-refresh-token-store.js';
export type { MemoryRefreshTokenStoreOptions } from './memory-refresh-token-store.js';
export { createMemoryKeyStore } from './memory-key-store.js';
export { createRedisStores } from './redis-stores.js';
export type { RedisStores, RedisStoresOptions } from './redis-stores.js';
export { createPostgresStores } from './pg-stores.js';
export type { PostgresStores, PostgresStoresOptions } from './pg-stores.js';
export {
  DEFAULT_PG_SCHEMA,
  PG_SCHEMA_VERSION,
  migratePostgres,
} from './pg-migrate.js';
export type { MigratePostgresOptions } from './pg-migrate.js';
