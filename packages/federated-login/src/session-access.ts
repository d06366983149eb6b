/**
 * The part of express-session's contract that login relies on
 * (`regenerate`, `save`), as kept by session-bridge, wrapped in promises.
 */

import type { Request } from 'express';

/** A session as login sees it. */
export interface SessionLike {
  regenerate(callback: (err?: unknown) => void): unknown;
  save(callback: (err?: unknown) => void): unknown;
  [key: string]: unknown;
}

/**
 * The request's session.
 *
 * @throws TypeError when no session middleware runs before the router.
 */
export function sessionOf(req: Request): SessionLike {
  const session = (req as Request & { session?: SessionLike }).session;
  if (typeof session?.regenerate !== 'function') {
    throw new TypeError(
      '@portcullis/federated-login needs a session middleware',
    );
  }
  return session;
}

/** Calls `regenerate` or `save` and waits for it. */
export function callSession(
  session: SessionLike,
  method: 'regenerate' | 'save',
): Promise<void> {
  return new Promise((resolve, reject) => {
    session[method]((err) => (err ? reject(err) : resolve()));
  });
}
