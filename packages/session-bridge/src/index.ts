/** Cookie sessions for Express, backed by the Portcullis stores. */

export { createSessionMiddleware } from './session-middleware.js';
export type { SessionOptions } from './options.js';
export { Session } from './session.js';
export { createCsrfProtection, csrfToken } from './csrf.js';
export type { CsrfOptions, CsrfRefusal } from './csrf.js';
export { createTokenBridge } from './token-bridge.js';
export type {
  RefreshRequest,
  TokenBridge,
  TokenBridgeOptions,
  TokenSet,
} from './token-bridge.js';
export { createApiProxy } from './api-proxy.js';
export type { ApiProxyOptions } from './api-proxy.js';
export { createSessionManager } from './session-manager.js';
export type {
  SessionManager,
  SessionManagerOptions,
  SessionSummary,
} from './session-manager.js';
export type { IdpSessionOf, IdpSessionOptions } from './idp-session.js';
