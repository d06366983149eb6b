/**
 * Validation of an OpenID Connect Back-Channel Logout 1.0 logout token
 * (section 2.6): a JWS signed with one of the provider's keys (node:crypto
 * does the signature check), with `iss`, `aud`, `iat`, `jti`, the
 * back-channel logout event, `sid` or `sub`, and no `nonce`.
 */

import { constants, createPublicKey, verify } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';

const LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
const MAX_TOKEN_LENGTH = 16_384;
// Section 2.4 recommends `logout+jwt`; plain `JWT` is common.
const TYP = /^((application\/)?logout\+jwt|jwt)$/i;

/** What a valid logout token says. */
export interface LogoutClaims {
  issuer: string;
  subject: string | undefined;
  sid: string | undefined;
  jti: string;
  /** Epoch seconds until which the `jti` must be remembered. */
  rememberUntil: number;
}

/** What the token is checked against. */
export interface LogoutTokenExpectations {
  issuer: string;
  clientId: string;
  /** Signing algorithms the provider announces for ID tokens. */
  algorithms: readonly string[];
  /** Returns the provider's JWKS; `refresh` asks for a fresh copy. */
  keys: (refresh: boolean) => Promise<readonly JsonWebKey[]>;
  /** Epoch seconds. */
  now: number;
  /** Oldest acceptable `iat`, in seconds before `now`. */
  maxAgeSeconds: number;
  /** Tolerated clock skew, in seconds. */
  skewSeconds: number;
}

interface AlgorithmSpec {
  hash: string;
  kty: string;
  pss?: boolean;
  dsaEncoding?: 'ieee-p1363';
  crv?: string;
}

// Asymmetric algorithms only: a logout token signed with the client secret
// (HS*) or unsigned (`none`) is refused.
const ALGORITHMS: Record<string, AlgorithmSpec> = {
  RS256: { hash: 'sha256', kty: 'RSA' },
  RS384: { hash: 'sha384', kty: 'RSA' },
  RS512: { hash: 'sha512', kty: 'RSA' },
  PS256: { hash: 'sha256', kty: 'RSA', pss: true },
  PS384: { hash: 'sha384', kty: 'RSA', pss: true },
  PS512: { hash: 'sha512', kty: 'RSA', pss: true },
  ES256: { hash: 'sha256', kty: 'EC', crv: 'P-256', dsaEncoding: 'ieee-p1363' },
  ES384: { hash: 'sha384', kty: 'EC', crv: 'P-384', dsaEncoding: 'ieee-p1363' },
  ES512: { hash: 'sha512', kty: 'EC', crv: 'P-521', dsaEncoding: 'ieee-p1363' },
};

/** Thrown for any invalid token; the reason is for logs only. */
export class InvalidLogoutTokenError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'InvalidLogoutTokenError';
  }
}

function invalid(reason: string): never {
  throw new InvalidLogoutTokenError(reason);
}

function decodeJson(segment: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(
      Buffer.from(segment, 'base64url').toString('utf8'),
    );
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // Falls through to the refusal below.
  }
  return invalid('malformed segment');
}

function importKey(
  jwk: JsonWebKey,
  spec: AlgorithmSpec,
): KeyObject | undefined {
  if (jwk.kty !== spec.kty || (spec.crv && jwk.crv !== spec.crv)) return;
  if (jwk.use !== undefined && jwk.use !== 'sig') return;
  try {
    return createPublicKey({ key: jwk, format: 'jwk' });
  } catch {
    return undefined;
  }
}

async function findKey(
  header: Record<string, unknown>,
  spec: AlgorithmSpec,
  expected: LogoutTokenExpectations,
): Promise<KeyObject> {
  // Keys with the token's kid (any key without one) that fit the alg.
  const pick = (keys: readonly JsonWebKey[]) =>
    keys
      .filter((k) => header.kid === undefined || k.kid === header.kid)
      .map((k) => importKey(k, spec))
      .filter((k): k is KeyObject => k !== undefined);

  let candidates = pick(await expected.keys(false));
  if (candidates.length === 0) candidates = pick(await expected.keys(true));
  if (candidates.length !== 1) invalid('no single matching key');
  return candidates[0]!;
}

function checkSignature(token: string, key: KeyObject, spec: AlgorithmSpec) {
  const [header = '', payload = '', signature = ''] = token.split('.');
  const ok = verify(
    spec.hash,
    Buffer.from(`${header}.${payload}`),
    {
      key,
      dsaEncoding: spec.dsaEncoding,
      // RFC 7518 section 3.5: the salt is as long as the hash.
      ...(spec.pss
        ? {
            padding: constants.RSA_PKCS1_PSS_PADDING,
            saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
          }
        : {}),
    },
    Buffer.from(signature, 'base64url'),
  );
  if (!ok) invalid('bad signature');
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') invalid(`bad ${name}`);
  return value;
}

function checkClaims(
  claims: Record<string, unknown>,
  expected: LogoutTokenExpectations,
): LogoutClaims {
  if (claims.iss !== expected.issuer) invalid('iss');
  const aud = claims.aud;
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(expected.clientId)) invalid('aud');

  const iat = claims.iat;
  if (typeof iat !== 'number' || !Number.isFinite(iat)) invalid('iat');
  if (iat > expected.now + expected.skewSeconds) invalid('iat in the future');
  if (iat < expected.now - expected.maxAgeSeconds) invalid('iat too old');
  const exp = claims.exp;
  if (
    exp !== undefined &&
    (typeof exp !== 'number' || exp < expected.now - expected.skewSeconds)
  ) {
    invalid('exp');
  }

  const events = claims.events as Record<string, unknown> | undefined;
  const event = events?.[LOGOUT_EVENT];
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    invalid('events');
  }
  if (claims.nonce !== undefined) invalid('nonce present');

  const jti = optionalString(claims.jti, 'jti') ?? invalid('jti missing');
  const subject = optionalString(claims.sub, 'sub');
  const sid = optionalString(claims.sid, 'sid');
  if (subject === undefined && sid === undefined) invalid('no sub or sid');

  return {
    issuer: expected.issuer,
    subject,
    sid,
    jti,
    rememberUntil: iat + expected.maxAgeSeconds + expected.skewSeconds,
  };
}

/**
 * Validates a logout token and returns what it says.
 *
 * @throws InvalidLogoutTokenError for any defect; the message is for logs.
 */
export async function validateLogoutToken(
  token: unknown,
  expected: LogoutTokenExpectations,
): Promise<LogoutClaims> {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) {
    invalid('not a token');
  }
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[\w-]*$/.test(p))) {
    invalid('not a compact JWS');
  }

  const header = decodeJson(parts[0]!);
  const alg = String(header.alg);
  const spec = Object.hasOwn(ALGORITHMS, alg) ? ALGORITHMS[alg] : undefined;
  if (spec === undefined || !expected.algorithms.includes(alg)) invalid('alg');
  if (header.crit !== undefined) invalid('crit');
  if (header.typ !== undefined && !TYP.test(String(header.typ))) invalid('typ');

  checkSignature(token, await findKey(header, spec, expected), spec);
  return checkClaims(decodeJson(parts[1]!), expected);
}
