/**
 * The session middleware: loads the session named by the cookie, enforces
 * the idle and absolute timeouts on the server, exposes it as
 * `req.session`, and writes it back before the response ends. A store that
 * cannot answer fails the request with 503; it never yields a blank session
 * in place of a real one.
 */

import { TemporarilyUnavailableError } from '@portcullis/core';
import type { RequestHandler, Response } from 'express';

import {
  appendSetCookie,
  readSessionId,
  serializeSessionCookie,
} from './cookie.js';
import { responseHeaderBytes } from './header-budget.js';
import { isIdpSessionEnded } from './idp-session.js';
import { open, seal } from './seal.js';
import { normalizeSessionOptions } from './options.js';
import type { SessionConfig, SessionOptions } from './options.js';
import { Session, loadRecord } from './session.js';
import type { SessionContext, SessionState } from './session.js';
import { createSessionId, storeKeyFor } from './session-id.js';

/** The one field of a sealed session's stored data. */
const SEALED_FIELD = 'portcullis.sealed';

/** A session used again within this interval is not rewritten. */
const TOUCH_INTERVAL_MS = 60_000;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The server-side session, set by session-bridge. */
      session: Session;
    }
  }
}

function createContext(config: SessionConfig): SessionContext {
  return {
    store: config.store,
    now: config.now,
    ttlSecondsFor(state) {
      const now = config.now();
      const absoluteLeftMs =
        state.createdAtMs + config.absoluteTimeoutSeconds * 1000 - now;
      const ttlMs = Math.min(config.idleTimeoutSeconds * 1000, absoluteLeftMs);
      return Math.max(1, Math.ceil(ttlMs / 1000));
    },
    seal(storeKey, json) {
      if (config.encryptionKey === undefined) {
        return JSON.parse(json) as Record<string, unknown>;
      }
      return { [SEALED_FIELD]: seal(config.encryptionKey, storeKey, json) };
    },
    unseal(storeKey, stored) {
      if (config.encryptionKey === undefined) return stored;
      const sealed = stored[SEALED_FIELD];
      if (typeof sealed !== 'string') return undefined;
      const json = open(config.encryptionKey, storeKey, sealed);
      return json === undefined
        ? undefined
        : (JSON.parse(json) as Record<string, unknown>);
    },
    userIdOf(data) {
      const userId = config.userIdOf?.(data);
      return typeof userId === 'string' && userId !== '' ? userId : undefined;
    },
    onRegenerate() {
      config.audit?.emit('session.created', { reason: 'regenerate' });
    },
    onDestroy() {
      config.audit?.emit('session.destroyed', { reason: 'logout' });
    },
  };
}

function isExpired(config: SessionConfig, state: SessionState): boolean {
  const now = config.now();
  return (
    now >= state.createdAtMs + config.absoluteTimeoutSeconds * 1000 ||
    now >= state.lastSeenAtMs + config.idleTimeoutSeconds * 1000
  );
}

async function loadSession(
  config: SessionConfig,
  context: SessionContext,
  cookieId: string | undefined,
): Promise<Session> {
  if (cookieId !== undefined) {
    const loaded = await loadRecord(context, cookieId);
    if (loaded !== undefined) {
      const { record, data } = loaded;
      const state: SessionState = {
        id: cookieId,
        createdAtMs: record.createdAtMs,
        lastSeenAtMs: record.lastSeenAtMs,
        persisted: true,
        savedJson: JSON.stringify(data),
        destroyed: false,
      };
      const ended =
        config.idpSession !== undefined &&
        (await isIdpSessionEnded(config.idpSession, data));
      if (!ended && !isExpired(config, state)) {
        return new Session(context, state, data);
      }

      await config.store.destroy(storeKeyFor(cookieId));
      config.audit?.emit('session.destroyed', {
        reason: ended ? 'logout' : 'expired',
      });
    }
  }

  const now = config.now();
  const state: SessionState = {
    id: createSessionId(),
    createdAtMs: now,
    lastSeenAtMs: now,
    persisted: false,
    savedJson: '{}',
    destroyed: false,
  };
  return new Session(context, state, {});
}

/** Writes what changed, then sets or clears the cookie. */
async function commit(
  config: SessionConfig,
  session: Session,
  res: Response,
  cookieId: string | undefined,
): Promise<void> {
  const state = session.state;
  const json = session.serialize();
  const empty = json === '{}';
  const stale = config.now() - state.lastSeenAtMs >= TOUCH_INTERVAL_MS;

  if (!state.destroyed && !(empty && !state.persisted)) {
    if (!state.persisted || json !== state.savedJson || stale) {
      await session.saveSerialized(json);
    }
  }

  if (res.headersSent) return;
  setCookie(config, state, res, cookieId);
  checkHeaderBudget(config, res);
}

function checkHeaderBudget(config: SessionConfig, res: Response): void {
  const bytes = responseHeaderBytes(res);
  if (bytes <= config.headerBudgetBytes) return;

  config.logger.warn('response headers exceed the budget', {
    bytes,
    budget: config.headerBudgetBytes,
  });
  config.audit?.emit('session.headers.oversized', {
    bytes,
    budget: config.headerBudgetBytes,
  });
}

function setCookie(
  config: SessionConfig,
  state: Readonly<SessionState>,
  res: Response,
  cookieId: string | undefined,
): void {
  const alive = state.persisted && !state.destroyed;
  if (alive && state.id !== cookieId) {
    appendSetCookie(
      res,
      serializeSessionCookie(cookieAttributes(config), state.id),
    );
  } else if (!alive && cookieId !== undefined) {
    appendSetCookie(
      res,
      serializeSessionCookie(cookieAttributes(config), undefined),
    );
  }
}

function cookieAttributes(config: SessionConfig) {
  return {
    name: config.cookieName,
    secure: config.secure,
    sameSite: config.sameSite,
  };
}

function failClosed(res: Response, end: Response['end']): void {
  const body = JSON.stringify(
    new TemporarilyUnavailableError('the session store is unavailable'),
  );
  res.statusCode = 503;
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  (end as (chunk: string) => Response).call(res, body);
}

/**
 * Creates the session middleware. Mount it before any route that reads
 * `req.session`, including passport and federated-login.
 *
 * @throws TypeError at startup when an option is missing or unsafe.
 * @example
 * app.use(createSessionMiddleware({
 *   store: createMemorySessionStore(),
 *   origin: 'https://app.example',
 * }));
 */
export function createSessionMiddleware(
  options: SessionOptions,
): RequestHandler {
  const config = normalizeSessionOptions(options);
  const context = createContext(config);

  return async function portcullisSession(req, res, next) {
    if (req.session instanceof Session) {
      next();
      return;
    }

    const cookieId = readSessionId(req.headers.cookie, config.cookieName);
    try {
      req.session = await loadSession(config, context, cookieId);
    } catch (error) {
      next(
        new TemporarilyUnavailableError('the session store is unavailable', {
          cause: error,
        }),
      );
      return;
    }

    const end = res.end;
    let ending = false;
    res.end = function endAfterCommit(this: Response, ...args: unknown[]) {
      if (ending) return end.apply(this, args as Parameters<Response['end']>);
      ending = true;

      commit(config, req.session, res, cookieId).then(
        () => end.apply(res, args as Parameters<Response['end']>),
        (error: unknown) => {
          config.logger.error('session commit failed', { error });
          if (res.headersSent) {
            end.apply(res, args as Parameters<Response['end']>);
          } else {
            failClosed(res, end);
          }
        },
      );
      return res;
    } as Response['end'];

    next();
  };
}
