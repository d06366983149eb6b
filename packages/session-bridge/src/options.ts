/**
 * Option validation for the session middleware: one normalisation step that
 * turns user options into a frozen, fully defaulted config.
 */

import {
  configError,
  parseSecureUrl,
  positiveInteger,
  optionalAuditBus,
  optionalLogger,
  rejectUnknownKeys,
} from '@portcullis/core';
import type { AuditBus, Logger } from '@portcullis/core';
import type { SessionStore } from '@portcullis/stores';

import { federatedLoginSession } from './idp-session.js';
import { isSealingKey } from './seal.js';
import type { IdpSessionOptions } from './idp-session.js';

const PACKAGE = '@portcullis/session-bridge';
const DEFAULT_IDLE_TIMEOUT_SECONDS = 30 * 60;
const DEFAULT_ABSOLUTE_TIMEOUT_SECONDS = 12 * 60 * 60;
const DEFAULT_COOKIE_BASE_NAME = 'portcullis.sid';
const DEFAULT_HEADER_BUDGET_BYTES = 8192;

/** Options of {@link createSessionMiddleware}. */
export interface SessionOptions {
  /** Where sessions live. Required. */
  store: SessionStore;
  /**
   * The application's public origin, such as `https://app.example`.
   * Required. An https origin gets a `__Host-` prefixed, Secure cookie;
   * http is accepted only on loopback hosts, for development.
   */
  origin: string;
  /**
   * Cookie name. Default: `__Host-portcullis.sid` on https,
   * `portcullis.sid` on loopback http.
   */
  cookieName?: string;
  /** SameSite attribute. Default: `'Lax'`. */
  sameSite?: 'Lax' | 'Strict';
  /** Seconds without a request before the session ends. Default: 1800. */
  idleTimeoutSeconds?: number;
  /** Seconds after creation when the session ends. Default: 43200. */
  absoluteTimeoutSeconds?: number;
  /**
   * Response headers larger than this, in bytes, are reported as a warning
   * and a `session.headers.oversized` audit event. Default: 8192.
   */
  headerBudgetBytes?: number;
  /**
   * Names the user a session belongs to, from its data, so that the store
   * can index sessions by user (list them, sign out everywhere). Called at
   * every save. Default: no index.
   */
  userIdOf?: (data: Readonly<Record<string, unknown>>) => string | undefined;
  /**
   * Ends sessions whose IdP session was logged out (back-channel logout),
   * as recorded by `SessionManager.endByIdpSession`. Costs one deny-list
   * read per request. Default: off.
   */
  idpSession?: IdpSessionOptions;
  /**
   * 32-byte key sealing every session's data at rest in the store
   * (AES-256-GCM, bound to the session's store key), so a copy of the store
   * shows no token, profile or other data. Default: stored as JSON.
   */
  encryptionKey?: Buffer;
  /** Audit bus for session events. Default: none. */
  audit?: AuditBus;
  /** Diagnostics. Default: silent. */
  logger?: Logger;
  /** Clock in epoch milliseconds, for tests. Default: `Date.now`. */
  now?: () => number;
}

/** The normalised configuration. */
export interface SessionConfig {
  store: SessionStore;
  cookieName: string;
  secure: boolean;
  sameSite: 'Lax' | 'Strict';
  idleTimeoutSeconds: number;
  absoluteTimeoutSeconds: number;
  headerBudgetBytes: number;
  userIdOf:
    | ((data: Readonly<Record<string, unknown>>) => string | undefined)
    | undefined;
  idpSession: Required<IdpSessionOptions> | undefined;
  encryptionKey: Buffer | undefined;
  audit: AuditBus | undefined;
  logger: Logger;
  now: () => number;
}

const KNOWN_OPTIONS = [
  'store',
  'origin',
  'cookieName',
  'sameSite',
  'idleTimeoutSeconds',
  'absoluteTimeoutSeconds',
  'headerBudgetBytes',
  'userIdOf',
  'idpSession',
  'encryptionKey',
  'audit',
  'logger',
  'now',
] as const;

function checkStore(store: unknown): SessionStore {
  const candidate = store as Partial<SessionStore> | undefined;
  if (
    typeof candidate?.get !== 'function' ||
    typeof candidate.set !== 'function' ||
    typeof candidate.destroy !== 'function'
  ) {
    throw configError(PACKAGE, 'store', 'is required: expected a SessionStore');
  }

  return candidate as SessionStore;
}

function checkCookieName(name: unknown, secure: boolean): string {
  const fallback = secure
    ? `__Host-${DEFAULT_COOKIE_BASE_NAME}`
    : DEFAULT_COOKIE_BASE_NAME;
  if (name === undefined) return fallback;

  if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(name)) {
    throw configError(PACKAGE, 'cookieName', 'must be a cookie token');
  }
  if (!secure && /^__(Host|Secure)-/.test(name)) {
    throw configError(
      PACKAGE,
      'cookieName',
      'cannot carry a __Host- or __Secure- prefix on an http origin',
    );
  }
  return name;
}

function checkUserIdOf(value: unknown): SessionConfig['userIdOf'] {
  if (value === undefined || typeof value === 'function') {
    return value as SessionConfig['userIdOf'];
  }

  throw configError(PACKAGE, 'userIdOf', 'must be a function');
}

function checkEncryptionKey(value: unknown): Buffer | undefined {
  if (value === undefined || isSealingKey(value)) return value;
  throw configError(PACKAGE, 'encryptionKey', 'must be a Buffer of 32 bytes');
}

function checkIdpSession(
  value: IdpSessionOptions | undefined,
): Required<IdpSessionOptions> | undefined {
  if (value === undefined) return undefined;
  if (typeof value?.denyList?.has !== 'function') {
    throw configError(PACKAGE, 'idpSession.denyList', 'must be a DenyList');
  }
  if (value.of !== undefined && typeof value.of !== 'function') {
    throw configError(PACKAGE, 'idpSession.of', 'must be a function');
  }

  return { denyList: value.denyList, of: value.of ?? federatedLoginSession };
}

/**
 * Validates and defaults the options.
 *
 * @throws TypeError naming the first bad option.
 */
export function normalizeSessionOptions(
  options: SessionOptions,
): SessionConfig {
  if (typeof options !== 'object' || options === null) {
    throw configError(PACKAGE, 'options', 'must be an object');
  }
  rejectUnknownKeys(PACKAGE, options, KNOWN_OPTIONS);

  const store = checkStore(options.store);
  const origin = parseSecureUrl(PACKAGE, 'origin', options.origin);
  const secure = origin.protocol === 'https:';
  const sameSite = options.sameSite ?? 'Lax';
  if (sameSite !== 'Lax' && sameSite !== 'Strict') {
    throw configError(PACKAGE, 'sameSite', "must be 'Lax' or 'Strict'");
  }

  const idle = positiveInteger(
    PACKAGE,
    'idleTimeoutSeconds',
    options.idleTimeoutSeconds,
    DEFAULT_IDLE_TIMEOUT_SECONDS,
  );
  const absolute = positiveInteger(
    PACKAGE,
    'absoluteTimeoutSeconds',
    options.absoluteTimeoutSeconds,
    DEFAULT_ABSOLUTE_TIMEOUT_SECONDS,
  );
  if (idle > absolute) {
    throw configError(
      PACKAGE,
      'idleTimeoutSeconds',
      'must not exceed "absoluteTimeoutSeconds"',
    );
  }

  const logger = optionalLogger(PACKAGE, options.logger);
  if (!secure) {
    logger.warn(`${PACKAGE}: plain http origin, cookies are not Secure`, {
      origin: origin.origin,
    });
  }

  return Object.freeze({
    store,
    cookieName: checkCookieName(options.cookieName, secure),
    secure,
    sameSite,
    idleTimeoutSeconds: idle,
    absoluteTimeoutSeconds: absolute,
    headerBudgetBytes: positiveInteger(
      PACKAGE,
      'headerBudgetBytes',
      options.headerBudgetBytes,
      DEFAULT_HEADER_BUDGET_BYTES,
    ),
    userIdOf: checkUserIdOf(options.userIdOf),
    idpSession: checkIdpSession(options.idpSession),
    encryptionKey: checkEncryptionKey(options.encryptionKey),
    audit: optionalAuditBus(PACKAGE, options.audit),
    logger,
    now: options.now ?? Date.now,
  });
}
