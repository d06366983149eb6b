/** Storage ports of Portcullis and their memory adapters. */

export type { DenyList, SessionRecord, SessionStore } from './ports.js';
export { MemoryTtlMap } from './memory-ttl-map.js';
export type { MemoryTtlMapOptions } from './memory-ttl-map.js';
export { createMemorySessionStore } from './memory-session-store.js';
export type { MemorySessionStoreOptions } from './memory-session-store.js';
export { createMemoryDenyList } from './memory-deny-list.js';
export type { MemoryDenyListOptions } from './memory-deny-list.js';
