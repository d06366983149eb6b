/**
 * OpenID Connect RP-Initiated Logout 1.0: the end-session URL of the
 * provider the user signed in with, carrying the ID token kept server-side
 * in the session as `id_token_hint`.
 */

import * as client from 'openid-client';
import type { Request } from 'express';

import { describeCause } from './errors.js';
import { sessionOf } from './session-access.js';
import type { FederatedLoginConfig } from './options.js';
import type { ProviderRuntime } from './provider-runtime.js';

/** The session field holding the ID token; never shown to the app's views. */
export const ID_TOKEN_KEY = 'portcullis.login.idToken';

interface SignedInAs {
  provider?: unknown;
}

/** Builds the end-session URL, or undefined (see FederatedLogin). */
export async function buildEndSessionUrl(
  config: FederatedLoginConfig,
  runtimes: ReadonlyMap<string, ProviderRuntime>,
  req: Request,
): Promise<string | undefined> {
  const session = sessionOf(req);
  const login = session.login as SignedInAs | undefined;
  const idToken = session[ID_TOKEN_KEY];
  const runtime = login && runtimes.get(String(login.provider));
  if (runtime?.discovery === undefined || typeof idToken !== 'string') {
    return undefined;
  }

  try {
    const discovered = await runtime.discovery.get(config.clock());
    if (!discovered.serverMetadata().end_session_endpoint) return undefined;
    return client.buildEndSessionUrl(discovered, {
      id_token_hint: idToken,
      post_logout_redirect_uri: config.postLogoutRedirectUrl,
      client_id: runtime.provider.clientId,
    }).href;
  } catch (error) {
    // Local logout goes on; only the IdP session survives.
    config.logger.warn('end-session URL unavailable', {
      provider: runtime.provider.name,
      cause: describeCause(error),
    });
    return undefined;
  }
}
