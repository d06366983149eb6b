/**
 * Ending sessions by the IdP session they came from (OpenID Connect
 * Back-Channel Logout 1.0 names it by `iss` and `sid`). The logout is
 * recorded in a shared deny-list; the session middleware refuses a session
 * whose IdP session is listed, on every instance, at its next request.
 */

import type { DenyList } from '@portcullis/stores';

/** Names the IdP session a session's data came from. */
export type IdpSessionOf = (
  data: Readonly<Record<string, unknown>>,
) => { issuer: string; sid: string } | undefined;

/** The `idpSession` option of the session middleware. */
export interface IdpSessionOptions {
  /** Shared deny-list where IdP logouts are recorded. Required. */
  denyList: DenyList;
  /**
   * Reads the IdP session from the data. Default: `data.login.issuer` and
   * `data.login.sid`, as federated-login stores them.
   */
  of?: IdpSessionOf;
}

/** The deny-list key of an IdP session. */
export function idpSessionKey(issuer: string, sid: string): string {
  return `idp-session:${JSON.stringify([issuer, sid])}`;
}

/** The default reader: federated-login's `req.session.login`. */
export const federatedLoginSession: IdpSessionOf = (data) => {
  const login = data.login as { issuer?: unknown; sid?: unknown } | undefined;
  if (typeof login?.issuer !== 'string' || typeof login.sid !== 'string') {
    return undefined;
  }
  return { issuer: login.issuer, sid: login.sid };
};

/** True when the session's IdP session was logged out. */
export async function isIdpSessionEnded(
  options: Required<IdpSessionOptions>,
  data: Readonly<Record<string, unknown>>,
): Promise<boolean> {
  const ref = options.of(data);
  if (ref === undefined) return false;
  return options.denyList.has(idpSessionKey(ref.issuer, ref.sid));
}
