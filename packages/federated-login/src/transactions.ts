/**
 * Login transactions: one per authorization request, kept in the server-side
 * session under its `state` (RFC 6749 section 10.12), bound to a provider,
 * expiring after minutes and taken out on first use, so that several tabs
 * can log in at once and a callback can never be replayed.
 */

import type { LoginErrorCode } from './errors.js';

const SESSION_KEY = 'portcullis.login.transactions';

/** One authorization request in flight. */
export interface LoginTransaction {
  /** The provider's name in this application. */
  provider: string;
  /** The `state` sent to the provider; the key of the transaction. */
  state: string;
  /** The `nonce` sent to an OpenID provider (OIDC Core 1.0 3.1.2.1). */
  nonce?: string;
  /** The PKCE code verifier (RFC 7636 section 4.1). */
  codeVerifier: string;
  /** Where to send the user after login: a same-origin path. */
  returnTo: string;
  /** Milliseconds since the epoch after which it is refused. */
  expiresAt: number;
}

/** Why a transaction could not be taken. */
export type TransactionFailure = Extract<
  LoginErrorCode,
  | 'LOGIN_TRANSACTION_MISSING'
  | 'LOGIN_TRANSACTION_EXPIRED'
  | 'LOGIN_STATE_MISMATCH'
>;

type TransactionMap = Record<string, LoginTransaction>;

function readMap(session: Record<string, unknown>): TransactionMap {
  const value = session[SESSION_KEY];
  return typeof value === 'object' && value !== null
    ? (value as TransactionMap)
    : {};
}

function writeMap(session: Record<string, unknown>, map: TransactionMap) {
  if (Object.keys(map).length === 0) delete session[SESSION_KEY];
  else session[SESSION_KEY] = map;
}

/**
 * Adds a transaction; drops expired ones, and the oldest ones beyond
 * `maxPending`, so an abandoned tab cannot grow the session without bound.
 */
export function saveTransaction(
  session: Record<string, unknown>,
  transaction: LoginTransaction,
  maxPending: number,
  now: number,
): void {
  const live = Object.values(readMap(session))
    .filter((entry) => entry.expiresAt > now)
    .sort((a, b) => a.expiresAt - b.expiresAt);
  const kept = live.slice(Math.max(0, live.length - maxPending + 1));

  const map: TransactionMap = {};
  for (const entry of [...kept, transaction]) map[entry.state] = entry;
  writeMap(session, map);
}

/**
 * Takes the transaction of `state` for `provider` out of the session. It is
 * removed whatever the outcome: a state is good for one callback only.
 */
export function takeTransaction(
  session: Record<string, unknown>,
  provider: string,
  state: unknown,
  now: number,
): LoginTransaction | TransactionFailure {
  const map = readMap(session);
  if (Object.keys(map).length === 0) return 'LOGIN_TRANSACTION_MISSING';
  if (typeof state !== 'string' || !Object.hasOwn(map, state)) {
    return 'LOGIN_STATE_MISMATCH';
  }

  const transaction = map[state]!;
  delete map[state];
  writeMap(session, map);
  if (transaction.provider !== provider) return 'LOGIN_STATE_MISMATCH';
  if (transaction.expiresAt <= now) return 'LOGIN_TRANSACTION_EXPIRED';
  return transaction;
}

/**
 * The session fields holding logins in progress, to carry them over a
 * session regeneration (a login finished in one tab keeps the others).
 */
export function pendingTransactions(
  session: Record<string, unknown>,
): Record<string, unknown> {
  const map = session[SESSION_KEY];
  return map === undefined ? {} : { [SESSION_KEY]: map };
}
