/**
 * pino behind the Portcullis logger port, and audit events written as
 * structured log lines.
 */

import { pino } from 'pino';
import type { AuditBus, Logger } from '@portcullis/core';

/** Creates a pino logger and adapts it to the logger port. */
export function createLogger(level: string): Logger {
  const log = pino({ level, base: undefined });
  return {
    debug: (message, fields) => log.debug(fields ?? {}, message),
    info: (message, fields) => log.info(fields ?? {}, message),
    warn: (message, fields) => log.warn(fields ?? {}, message),
    error: (message, fields) => log.error(fields ?? {}, message),
  };
}

/** Writes every audit event to the logger. */
export function logAuditEvents(audit: AuditBus, logger: Logger): void {
  audit.onAny((event) => logger.info('audit', { event }));
}
