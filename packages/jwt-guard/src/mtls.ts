/**
 * Certificate-bound access tokens (RFC 8705 section 3): a token whose
 * `cnf` carries `x5t#S256` is accepted only over a connection whose client
 * certificate has that SHA-256 thumbprint. The certificate comes from the
 * TLS socket, or from a hook for a trusted TLS-terminating proxy.
 */

import { X509Certificate, createHash } from 'node:crypto';
import type { TLSSocket } from 'node:tls';

import type { Request } from 'express';

import { configError } from '@portcullis/core';

import { TokenRejectedError } from './errors.js';

/** The `mtls` option of `requireAuth`. */
export interface MtlsOptions {
  /**
   * Returns the client certificate (DER bytes or PEM text) a trusted proxy
   * forwarded, or undefined. Only for proxies that strip the header from
   * client requests. Default: the certificate of the TLS socket.
   */
  certificate?: (req: Request) => Uint8Array | string | undefined;
  /** Refuse tokens that are not certificate-bound. Default: false. */
  required?: boolean;
}

/** The validated `mtls` option. */
export interface MtlsConfig {
  readonly certificate: (req: Request) => Uint8Array | string | undefined;
  readonly required: boolean;
}

function socketCertificate(req: Request): Uint8Array | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerCertificate !== 'function') return undefined;
  const raw = socket.getPeerCertificate().raw;
  return raw instanceof Uint8Array && raw.length > 0 ? raw : undefined;
}

/**
 * Validates the `mtls` option; undefined gives the socket default.
 *
 * @throws TypeError naming the option when it is invalid.
 */
export function checkMtls(value: unknown): MtlsConfig {
  const input = (value ?? {}) as MtlsOptions;
  if (typeof input !== 'object') {
    throw configError('@portcullis/jwt-guard', 'mtls', 'must be an object');
  }

  if (
    input.certificate !== undefined &&
    typeof input.certificate !== 'function'
  ) {
    throw configError(
      '@portcullis/jwt-guard',
      'mtls.certificate',
      'must be a function',
    );
  }

  return Object.freeze({
    certificate: input.certificate ?? socketCertificate,
    required: input.required === true,
  });
}

/** Returns the DER bytes of a certificate given as DER or PEM. */
export function certificateDer(value: Uint8Array | string | undefined) {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') return value;
  try {
    return new X509Certificate(value).raw;
  } catch {
    return undefined;
  }
}

/**
 * Checks the certificate binding of `claims` against `certificate` (DER).
 *
 * @throws TokenRejectedError `JWT_GUARD_MTLS_BINDING` when the token is
 * bound and the certificate is absent or another one, or when `required`
 * and the token is not bound.
 */
export function checkCertificateBinding(
  claims: Readonly<Record<string, unknown>>,
  certificate: Uint8Array | undefined,
  required: boolean,
): void {
  const expected = (claims.cnf as Record<string, unknown> | undefined)?.[
    'x5t#S256'
  ];
  if (expected === undefined) {
    if (required) throw new TokenRejectedError('JWT_GUARD_MTLS_BINDING');
    return;
  }

  const actual =
    certificate === undefined
      ? undefined
      : createHash('sha256').update(certificate).digest('base64url');
  if (typeof expected !== 'string' || actual !== expected) {
    throw new TokenRejectedError('JWT_GUARD_MTLS_BINDING');
  }
}
