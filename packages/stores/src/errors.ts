/**
 * Errors of the store adapters. A backend that cannot answer becomes a 503
 * `temporarily_unavailable` (RFC 6749 section 5.2 lists the code for the
 * token endpoint), so every caller fails closed with the same error.
 */

import { ServerError, TemporarilyUnavailableError } from '@portcullis/core';

/** 503: the store could not be reached or did not answer in time. */
export class StoreUnavailableError extends TemporarilyUnavailableError {
  constructor(options: { cause?: unknown } = {}) {
    super('the store is temporarily unavailable', options);
  }
}

/** 500: a write collided with an existing record (duplicate id or hash). */
export class StoreConflictError extends ServerError {
  constructor(what: string, options: { cause?: unknown } = {}) {
    super(`the store already holds this ${what}`, options);
  }
}

/**
 * Wraps a backend failure in a StoreUnavailableError that keeps it as its
 * cause; AuthErrors raised by the adapter itself pass through unchanged.
 */
export function toStoreError(error: unknown): Error {
  if (error instanceof StoreConflictError) return error;
  if (error instanceof StoreUnavailableError) return error;
  return new StoreUnavailableError({ cause: error });
}

/** Runs one store operation; any failure rejects with a store error. */
export async function failClosed<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw toStoreError(error);
  }
}
