/**
 * The normalised profile handed to the application. Users are identified by
 * (issuer, subject), never by email; an email counts as verified only when
 * the provider says so with `email_verified` (OIDC Core 1.0 section 5.1).
 */

/** Who signed in, as the application's `resolveUser` hook sees it. */
export interface FederatedProfile {
  /** The provider's name in this application, such as `google`. */
  provider: string;
  /** The `iss` of the ID token. */
  issuer: string;
  /** The `sub` of the ID token: stable and unique within the issuer. */
  subject: string;
  email?: string;
  /** True only when the provider asserted `email_verified`. */
  emailVerified: boolean;
  name?: string;
  picture?: string;
  /** Every claim of the validated ID token. */
  claims: Readonly<Record<string, unknown>>;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Builds the profile from validated ID token claims. */
export function toFederatedProfile(
  provider: string,
  claims: Record<string, unknown>,
): FederatedProfile {
  const verified = claims.email_verified;
  return {
    provider,
    issuer: String(claims.iss),
    subject: String(claims.sub),
    email: optionalString(claims.email),
    emailVerified: verified === true || verified === 'true',
    name: optionalString(claims.name),
    picture: optionalString(claims.picture),
    claims: Object.freeze({ ...claims }),
  };
}
