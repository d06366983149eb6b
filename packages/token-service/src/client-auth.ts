/**
 * Client authentication at the token endpoints: `client_secret_basic`,
 * `client_secret_post` (RFC 6749 section 2.3.1) and `private_key_jwt`
 * (RFC 7523 section 2.2), exactly one per request. A client configured with
 * a secret may use either secret method; one configured with keys may use
 * `private_key_jwt` only. Unknown clients cost the same scrypt work as
 * known ones.
 */

import { InvalidClientError, InvalidRequestError } from '@portcullis/core';
import type { Logger } from '@portcullis/core';
import type { ReplayCache } from '@portcullis/stores';

import {
  AssertionRefusal,
  JWT_BEARER_ASSERTION_TYPE,
  assertionIssuer,
  verifyClientAssertion,
} from './client-assertion.js';
import type { NormalizedClient } from './client-config.js';
import { parseStoredSecret, verifyClientSecret } from './client-secret.js';
import type { StoredSecret } from './client-secret.js';

/** Client authentication methods this package supports. */
export const CLIENT_AUTH_METHODS = [
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
] as const;

const CHALLENGE = {
  'WWW-Authenticate': 'Basic realm="token", charset="UTF-8"',
};

// A well-formed stored secret that no input matches in practice; verifying
// against it keeps the timing of unknown clients like that of known ones.
const DUMMY_SECRET = parseStoredSecret(
  `scrypt$16384$8$1$${'A'.repeat(22)}$${'A'.repeat(43)}`,
) as StoredSecret;

type Presented =
  | { kind: 'secret'; clientId: string; secret: string }
  | { kind: 'assertion'; clientId: string; assertion: string };

/** What the authenticator needs. */
export interface ClientAuthOptions {
  /** The configured clients by id. */
  readonly clients: ReadonlyMap<string, NormalizedClient>;
  /** Accepted assertion `aud` values: the issuer and the token endpoint. */
  readonly audiences: readonly string[];
  /** Records assertion `jti`s; shared by every instance when possible. */
  readonly replayCache: ReplayCache;
  /** Receives the reason an assertion was refused (never the assertion). */
  readonly logger: Logger;
}

/** Authenticates the client of a request from its header and form. */
export type AuthenticateClient = (
  authorization: string | undefined,
  form: Record<string, string>,
) => Promise<NormalizedClient>;

/** 401 `invalid_client` with a Basic challenge (RFC 6749 section 5.2). */
export function invalidClient(cause?: unknown): InvalidClientError {
  return new InvalidClientError('client authentication failed', {
    headers: CHALLENGE,
    cause,
  });
}

function decodePart(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw invalidClient();
  }
}

function basicCredentials(header: string): Presented {
  const match = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header);
  if (match === null) throw invalidClient();
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw invalidClient();
  return {
    kind: 'secret',
    clientId: decodePart(decoded.slice(0, colon)),
    secret: decodePart(decoded.slice(colon + 1)),
  };
}

function assertionCredentials(form: Record<string, string>): Presented {
  const type = form.client_assertion_type;
  const assertion = form.client_assertion;
  if (type === undefined || type === '') {
    throw new InvalidRequestError(
      'parameter "client_assertion_type" is required',
    );
  }
  if (assertion === undefined || assertion === '') {
    throw new InvalidRequestError('parameter "client_assertion" is required');
  }
  if (type !== JWT_BEARER_ASSERTION_TYPE) throw invalidClient();

  // RFC 7523 section 3: the client is the assertion's issuer; a client_id
  // parameter, when sent, must name the same client.
  const clientId = assertionIssuer(assertion);
  if (clientId === undefined) throw invalidClient();
  if (form.client_id !== undefined && form.client_id !== clientId) {
    throw invalidClient();
  }
  return { kind: 'assertion', clientId, assertion };
}

function presented(
  authorization: string | undefined,
  form: Record<string, string>,
): Presented {
  const basic = authorization !== undefined;
  const post = form.client_secret !== undefined;
  const jwt =
    form.client_assertion !== undefined ||
    form.client_assertion_type !== undefined;
  if (Number(basic) + Number(post) + Number(jwt) > 1) {
    throw new InvalidRequestError(
      'use one client authentication method, not two',
    );
  }

  if (jwt) return assertionCredentials(form);
  if (basic) {
    const credentials = basicCredentials(authorization);
    if (
      form.client_id !== undefined &&
      form.client_id !== credentials.clientId
    ) {
      throw invalidClient();
    }
    return credentials;
  }

  if (post && form.client_id !== undefined) {
    return {
      kind: 'secret',
      clientId: form.client_id,
      secret: form.client_secret as string,
    };
  }
  throw invalidClient();
}

/**
 * Creates the client authenticator of the endpoints.
 *
 * The returned function rejects with InvalidClientError (401, with a
 * Basic challenge) when the client is unknown, its credential is wrong,
 * missing or of a method it is not configured for, or its assertion fails
 * any check; with InvalidRequestError (400) when two methods are used or an
 * assertion parameter is missing; with TemporarilyUnavailableError (503)
 * when the replay cache or the client's `jwksUri` cannot answer.
 */
export function createClientAuthenticator(
  options: ClientAuthOptions,
): AuthenticateClient {
  const { clients, logger } = options;

  async function bySecret(clientId: string, secret: string) {
    const client = clients.get(clientId);
    const stored =
      client?.credential.kind === 'secret'
        ? client.credential.secret
        : DUMMY_SECRET;
    const matches = await verifyClientSecret(secret, stored);
    if (client?.credential.kind !== 'secret' || !matches) {
      throw invalidClient();
    }
    return client;
  }

  async function byAssertion(clientId: string, assertion: string) {
    const client = clients.get(clientId);
    if (client?.credential.kind !== 'keys') throw invalidClient();
    try {
      await verifyClientAssertion(
        assertion,
        clientId,
        client.credential.keys,
        options,
      );
    } catch (error) {
      if (!(error instanceof AssertionRefusal)) throw error;
      logger.debug('client assertion refused', {
        clientId,
        reason: error.message,
      });
      throw invalidClient(error);
    }
    return client;
  }

  return async function authenticateClient(authorization, form) {
    const credentials = presented(authorization, form);
    return credentials.kind === 'secret'
      ? bySecret(credentials.clientId, credentials.secret)
      : byAssertion(credentials.clientId, credentials.assertion);
  };
}
