/**
 * Self-signed certificates for TLS tests, made by the openssl CLI in a
 * temporary directory (node:crypto cannot issue X.509 certificates).
 */

import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** A certificate, its key, and its RFC 8705 thumbprint. */
export interface TestCertificate {
  readonly cert: string;
  readonly key: string;
  readonly thumbprint: string;
}

/** Creates a self-signed P-256 certificate for `commonName`. */
export function createCertificate(commonName: string): TestCertificate {
  const dir = mkdtempSync(path.join(tmpdir(), 'jwt-guard-cert-'));
  try {
    const keyPath = path.join(dir, 'key.pem');
    const certPath = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        keyPath,
        '-out',
        certPath,
        '-days',
        '1',
        '-subj',
        `/CN=${commonName}`,
        '-addext',
        `subjectAltName=IP:127.0.0.1`,
      ],
      { stdio: 'ignore' },
    );
    const cert = readFileSync(certPath, 'utf8');
    const raw = new X509Certificate(cert).raw;
    return {
      cert,
      key: readFileSync(keyPath, 'utf8'),
      thumbprint: createHash('sha256').update(raw).digest('base64url'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
