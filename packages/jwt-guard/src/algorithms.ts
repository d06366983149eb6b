/**
 * The JWS algorithms the guard accepts: asymmetric signatures only (RFC 7518
 * section 3.1, RFC 8037 section 3.1). `none` and the HMAC family are left
 * out by construction, so a public key can never serve as an HMAC secret.
 */

/** Every algorithm that `algorithms` may list. */
export const ASYMMETRIC_ALGORITHMS: readonly string[] = Object.freeze([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
]);

/** True when `value` names an asymmetric algorithm the guard supports. */
export function isAsymmetricAlgorithm(value: unknown): value is string {
  return typeof value === 'string' && ASYMMETRIC_ALGORITHMS.includes(value);
}
