/**
 * Loads a signing key: imports a private JWK into a node:crypto KeyObject,
 * or generates a key pair, and derives the public JWK to publish from the
 * same members.
 */

import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  sign,
  verify,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

import type { JWK } from 'jose';

import { configError } from '@portcullis/core';

import { PACKAGE_NAME } from './package-name.js';
import { toPublicJwk } from './public-jwk.js';
import { createLocalSigner } from './signer.js';
import type { Signer } from './signer.js';
import { KEY_TYPES, MIN_RSA_MODULUS_BITS } from './signing-key-shape.js';
import type { SigningAlgorithm } from './signing-key-shape.js';

const generateKeyPairAsync = promisify(generateKeyPair);
const PROBE = Buffer.from('portcullis.key-check');

/** A key ready to sign, with the public JWK that verifies it. */
export interface SigningKey {
  readonly algorithm: SigningAlgorithm;
  /** The private key, held in this process. */
  readonly privateKey: KeyObject;
  /** Public members, `kid` (RFC 7638 thumbprint), `alg`, `use`. */
  readonly publicJwk: JWK;
  /** A signer over `privateKey`. */
  readonly signer: Signer;
}

/** Generates a private JWK for `algorithm` (RSA: 2048 bits). */
export async function generatePrivateJwk(
  algorithm: SigningAlgorithm,
): Promise<JWK> {
  const { privateKey } =
    algorithm === 'RS256'
      ? await generateKeyPairAsync('rsa', {
          modulusLength: MIN_RSA_MODULUS_BITS,
        })
      : algorithm === 'ES256'
        ? await generateKeyPairAsync('ec', { namedCurve: 'P-256' })
        : await generateKeyPairAsync('ed25519');
  return privateKey.export({ format: 'jwk' }) as JWK;
}

function publicMembersOf(jwk: JWK, algorithm: SigningAlgorithm): JWK {
  const type = KEY_TYPES[algorithm];
  const source = jwk as Record<string, unknown>;
  const members: Record<string, unknown> = { kty: type.kty };
  if (type.crv !== undefined) members.crv = type.crv;
  for (const name of type.publicMembers) members[name] = source[name];
  return members as JWK;
}

/** True when the published members verify what `privateKey` signs. */
function publicMatches(
  privateKey: KeyObject,
  jwk: JWK,
  algorithm: SigningAlgorithm,
): boolean {
  const digest = algorithm === 'EdDSA' ? null : 'sha256';
  const publicKey = createPublicKey({
    key: publicMembersOf(jwk, algorithm) as never,
    format: 'jwk',
  });
  return verify(digest, PROBE, publicKey, sign(digest, PROBE, privateKey));
}

function importPrivateKey(
  jwk: JWK,
  algorithm: SigningAlgorithm,
  optionPath: string,
): KeyObject {
  // Only the key members are imported: ext, key_ops and the like from the
  // configuration never widen what the imported key may do. A probe
  // signature proves that the published members belong to the private key.
  const type = KEY_TYPES[algorithm];
  const source = jwk as Record<string, unknown>;
  const members: Record<string, unknown> = publicMembersOf(jwk, algorithm);
  for (const name of type.privateMembers) members[name] = source[name];
  try {
    const key = createPrivateKey({ key: members as never, format: 'jwk' });
    if (publicMatches(key, jwk, algorithm)) return key;
  } catch (cause) {
    throw Object.assign(invalidKey(optionPath), { cause });
  }

  throw invalidKey(optionPath);
}

function invalidKey(optionPath: string): TypeError {
  return configError(
    PACKAGE_NAME,
    optionPath,
    'is not a valid private key, or its public members do not match it',
  );
}

/**
 * Imports a private JWK of `algorithm`.
 *
 * @throws TypeError naming `optionPath` (as a rejection) when the key
 * cannot be imported or its public members do not match it.
 */
export async function importSigningKey(
  privateJwk: JWK,
  algorithm: SigningAlgorithm,
  optionPath = 'signingKey',
): Promise<SigningKey> {
  const privateKey = importPrivateKey(privateJwk, algorithm, optionPath);
  const publicJwk = await toPublicJwk(privateJwk, algorithm);
  return Object.freeze({
    algorithm,
    privateKey,
    publicJwk,
    signer: createLocalSigner(privateKey, algorithm, publicJwk),
  });
}

/**
 * Loads the configured key, or generates one when `configured` is absent.
 *
 * @throws TypeError naming `signingKey` (as a rejection) when the key
 * cannot be imported or its public members do not match it.
 */
export async function loadSigningKey(
  configured: JWK | undefined,
  algorithm: SigningAlgorithm,
): Promise<SigningKey> {
  const privateJwk = configured ?? (await generatePrivateJwk(algorithm));
  return importSigningKey(privateJwk, algorithm);
}
