/** Shared vocabulary of Portcullis: errors, audit events, logging, options. */

export {
  AccessDeniedError,
  AuthError,
  InsufficientScopeError,
  InvalidClientError,
  InvalidGrantError,
  InvalidRequestError,
  InvalidTokenError,
  ServerError,
  TemporarilyUnavailableError,
  isAuthError,
} from './errors.js';
export type { AuthErrorCode, AuthErrorOptions } from './errors.js';
export { createAuditBus } from './audit.js';
export type {
  AuditBus,
  AuditBusOptions,
  AuditEvent,
  AuditEventMap,
  AuditEventType,
  AuditListener,
} from './audit.js';
export { silentLogger } from './logger.js';
export type { Logger } from './logger.js';
export { authErrorHandler } from './error-handler.js';
export type { AuthErrorHandlerOptions } from './error-handler.js';
export {
  configError,
  isLoopbackUrl,
  optionalAuditBus,
  optionalLogger,
  parseSecureUrl,
  positiveInteger,
  rejectUnknownKeys,
  requireString,
} from './options.js';
