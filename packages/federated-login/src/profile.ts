/**
 * The normalised profile handed to the application. Users are identified by
 * (issuer, subject), never by email; an email counts as verified only when
 * the provider says so with `email_verified` true or "true" (OIDC Core 1.0
 * section 5.1) and the provider is trusted to say so.
 */

/** Who signed in, as the application's `resolveUser` hook sees it. */
export interface FederatedProfile {
  /** The provider's name in this application, such as `google`. */
  provider: string;
  /** The `iss` of the ID token, or the OAuth 2.0 preset's identifier. */
  issuer: string;
  /** The `sub` of the ID token: stable and unique within the issuer. */
  subject: string;
  email?: string;
  /** True only when the provider asserted the email is verified. */
  emailVerified: boolean;
  name?: string;
  picture?: string;
  /** Every claim of the validated ID token or the profile fetcher. */
  claims: Readonly<Record<string, unknown>>;
}

/** Claims in the OIDC vocabulary: `iss`, `sub`, `email`, ... */
export type ProfileClaims = Record<string, unknown>;

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * Builds the profile from validated claims. `trustEmailVerified: false`
 * reports every email as unverified (Microsoft Entra ID).
 */
export function toFederatedProfile(
  provider: string,
  claims: ProfileClaims,
  trustEmailVerified = true,
): FederatedProfile {
  const verified = claims.email_verified;
  return {
    provider,
    issuer: String(claims.iss),
    subject: String(claims.sub),
    email: optionalString(claims.email),
    emailVerified:
      trustEmailVerified && (verified === true || verified === 'true'),
    name: optionalString(claims.name),
    picture: optionalString(claims.picture),
    claims: Object.freeze({ ...claims }),
  };
}
