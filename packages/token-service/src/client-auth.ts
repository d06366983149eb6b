/**
 * Client authentication at the token endpoints (RFC 6749 section 2.3.1):
 * `client_secret_basic` and `client_secret_post`, exactly one per request.
 * Unknown clients cost the same scrypt work as known ones.
 */

import { InvalidClientError, InvalidRequestError } from '@portcullis/core';

import type { NormalizedClient } from './client-config.js';
import { parseStoredSecret, verifyClientSecret } from './client-secret.js';
import type { StoredSecret } from './client-secret.js';

/** Client authentication methods this package supports. */
export const CLIENT_AUTH_METHODS = [
  'client_secret_basic',
  'client_secret_post',
] as const;

const CHALLENGE = {
  'WWW-Authenticate': 'Basic realm="token", charset="UTF-8"',
};

// A well-formed stored secret that no input matches in practice; verifying
// against it keeps the timing of unknown clients like that of known ones.
const DUMMY_SECRET = parseStoredSecret(
  `scrypt$16384$8$1$${'A'.repeat(22)}$${'A'.repeat(43)}`,
) as StoredSecret;

/** 401 `invalid_client` with a Basic challenge (RFC 6749 section 5.2). */
export function invalidClient(): InvalidClientError {
  return new InvalidClientError('client authentication failed', {
    headers: CHALLENGE,
  });
}

function decodePart(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw invalidClient();
  }
}

function basicCredentials(
  header: string,
): { clientId: string; secret: string } | undefined {
  const match = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header);
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw invalidClient();
  return {
    clientId: decodePart(decoded.slice(0, colon)),
    secret: decodePart(decoded.slice(colon + 1)),
  };
}

function credentials(
  authorization: string | undefined,
  body: Record<string, string>,
): { clientId: string; secret: string } {
  const posted = body.client_secret !== undefined;
  if (authorization !== undefined) {
    if (posted) {
      throw new InvalidRequestError(
        'use one client authentication method, not two',
      );
    }
    const basic = basicCredentials(authorization);
    if (basic === undefined) throw invalidClient();
    if (body.client_id !== undefined && body.client_id !== basic.clientId) {
      throw invalidClient();
    }
    return basic;
  }

  if (posted && body.client_id !== undefined) {
    return { clientId: body.client_id, secret: body.client_secret as string };
  }
  throw invalidClient();
}

/**
 * Authenticates the client of a request.
 *
 * @throws InvalidClientError (401, with a Basic challenge) when the client
 * is unknown, the secret is wrong or credentials are missing.
 * @throws InvalidRequestError (400) when both methods are used.
 */
export async function authenticateClient(
  authorization: string | undefined,
  body: Record<string, string>,
  clients: ReadonlyMap<string, NormalizedClient>,
): Promise<NormalizedClient> {
  const { clientId, secret } = credentials(authorization, body);
  const client = clients.get(clientId);
  const matches = await verifyClientSecret(
    secret,
    client?.secret ?? DUMMY_SECRET,
  );
  if (client === undefined || !matches) throw invalidClient();
  return client;
}
