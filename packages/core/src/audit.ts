/**
 * A typed audit-event bus. Packages emit events; the application subscribes
 * and writes them wherever its compliance needs (pino, a database sink).
 * Events name the issuer and subject of a user, never a token or a cookie.
 */

/** Fields every audit event carries. */
interface AuditBase {
  /** Milliseconds since the epoch, stamped by the bus. */
  at: number;
}

/** Every audit event, keyed by its type. */
export interface AuditEventMap {
  'auth.login.succeeded': {
    provider: string;
    issuer: string;
    subject: string;
  };
  'auth.login.failed': { provider: string; code: string };
  'auth.logout': { subject?: string };
  'session.created': { reason: 'login' | 'regenerate' };
  'session.destroyed': { reason: 'logout' | 'expired' | 'regenerate' };
  'token.issued': { subject: string; audience: string; jti: string };
  'token.rejected': { code: string };
  /** A guard admitted a request: a verified token, or anonymous access. */
  'token.accepted': { reason: string; issuer?: string; subject?: string };
  /** A guard refused a request; `reason` names the check, never sent. */
  'token.refused': {
    reason: string;
    code: string;
    status: number;
    issuer?: string;
  };
  'csrf.refused': { reason: string };
  'session.headers.oversized': { bytes: number; budget: number };
}

/** The name of an audit event. */
export type AuditEventType = keyof AuditEventMap;

/** An audit event as delivered to listeners. */
export type AuditEvent<T extends AuditEventType = AuditEventType> = {
  [K in T]: AuditBase & { type: K } & AuditEventMap[K];
}[T];

/** A function that receives audit events. */
export type AuditListener<T extends AuditEventType = AuditEventType> = (
  event: AuditEvent<T>,
) => void;

/** The bus: emit typed events, subscribe to one type or to all. */
export interface AuditBus {
  emit<T extends AuditEventType>(type: T, fields: AuditEventMap[T]): void;
  on<T extends AuditEventType>(type: T, listener: AuditListener<T>): () => void;
  onAny(listener: AuditListener): () => void;
}

/** Options of {@link createAuditBus}. */
export interface AuditBusOptions {
  /** Clock in milliseconds. Default: `Date.now`. */
  now?: () => number;
  /**
   * Called when a listener throws; the other listeners still run and the
   * emitter never sees the error. Default: the error is dropped.
   */
  onListenerError?: (error: unknown, event: AuditEvent) => void;
}

/**
 * Creates an audit bus. Listeners run synchronously in subscription order;
 * a throwing listener never breaks the request that emitted the event.
 *
 * @example
 * const audit = createAuditBus();
 * audit.on('auth.login.succeeded', (e) => log.info(e.type, e));
 */
export function createAuditBus(options: AuditBusOptions = {}): AuditBus {
  const now = options.now ?? Date.now;
  const onListenerError = options.onListenerError ?? (() => {});
  const listeners = new Set<{ type?: AuditEventType; fn: AuditListener }>();

  function subscribe(type: AuditEventType | undefined, fn: AuditListener) {
    const entry = { type, fn };
    listeners.add(entry);
    return () => {
      listeners.delete(entry);
    };
  }

  return {
    emit(type, fields) {
      const event = { ...fields, type, at: now() } as AuditEvent;
      for (const entry of listeners) {
        if (entry.type !== undefined && entry.type !== type) continue;
        try {
          entry.fn(event);
        } catch (error) {
          onListenerError(error, event);
        }
      }
    },
    on(type, listener) {
      return subscribe(type, listener as AuditListener);
    },
    onAny(listener) {
      return subscribe(undefined, listener);
    },
  };
}
