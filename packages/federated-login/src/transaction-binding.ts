/**
 * How a strategy reaches the login transaction: on the start route it asks
 * the router to save a new one (the router adds provider, returnTo and the
 * expiry); on the callback the router has already taken and checked the
 * transaction and attached it to the request.
 */

import type { Request } from 'express';

import type { LoginTransaction } from './transactions.js';

/** The fields a strategy contributes to a new transaction. */
export interface TransactionSeed {
  state: string;
  codeVerifier: string;
  nonce?: string;
}

/** The router's side of the binding. */
export interface TransactionBinding {
  /** Saves a new transaction for this request's login attempt. */
  begin(req: Request, seed: TransactionSeed): void;
  /** The transaction the router took for this callback. */
  current(req: Request): LoginTransaction;
}

const CURRENT = Symbol('portcullis.login.transaction');

/** Attaches the taken transaction to the callback request. */
export function attachTransaction(
  req: Request,
  transaction: LoginTransaction,
): void {
  (req as unknown as Record<symbol, unknown>)[CURRENT] = transaction;
}

/** Reads the transaction attached by {@link attachTransaction}. */
export function attachedTransaction(req: Request): LoginTransaction {
  const value = (req as unknown as Record<symbol, unknown>)[CURRENT];
  if (value === undefined) throw new Error('no login transaction attached');
  return value as LoginTransaction;
}
