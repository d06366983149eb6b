/**
 * Test helper: runs packages/dev-idp as a child process and waits for its
 * ready line. oidc-provider is ESM-only, which jest on Node 20 cannot load
 * in-process; a child process also gives every suite a fresh IdP.
 */

import * as path from 'node:path';

import { ROOT_DIR, spawnReady } from './spawn-ready.js';

const CLI_PATH = path.join(ROOT_DIR, 'packages/dev-idp/src/cli.ts');
const READY_TIMEOUT_MS = 20_000;

/** Options of {@link spawnDevIdp}: the one client the IdP registers. */
export interface SpawnDevIdpOptions {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  /** Allowed post_logout_redirect_uri values. Default: none. */
  postLogoutRedirectUris?: string[];
  /** The client's OIDC Back-Channel Logout receiver. Default: none. */
  backchannelLogoutUri?: string;
  /** Port on 127.0.0.1; a fixed one lets a test restart the IdP. Default: 0. */
  port?: number;
  /** The users, as --users-json. Default: the documented test users. */
  users?: unknown[];
  /** --api-audience: the IdP issues JWT access tokens for this API. */
  apiAudience?: string;
}

/** A dev IdP running in a child process. */
export interface SpawnedDevIdp {
  /** The issuer, `http://127.0.0.1:PORT`. */
  issuer: string;
  /** Sends SIGTERM and resolves once the child has exited. */
  stop(): Promise<void>;
}

function buildArgs(options: SpawnDevIdpOptions): string[] {
  const args = ['--port', String(options.port ?? 0)];
  args.push('--client-id', options.clientId);
  args.push('--client-secret', options.clientSecret);
  for (const uri of options.redirectUris) args.push('--redirect-uri', uri);
  for (const uri of options.postLogoutRedirectUris ?? []) {
    args.push('--post-logout-redirect-uri', uri);
  }
  if (options.backchannelLogoutUri !== undefined) {
    args.push('--backchannel-logout-uri', options.backchannelLogoutUri);
  }
  if (options.apiAudience !== undefined) {
    args.push('--api-audience', options.apiAudience);
  }
  if (options.users !== undefined) {
    args.push('--users-json', JSON.stringify(options.users));
  }
  return args;
}

/**
 * Starts `packages/dev-idp/src/cli.ts` through tsx (on an ephemeral port
 * unless `port` is given) and
 * resolves with its issuer once it prints the ready line.
 *
 * Rejects with the child's stderr when it exits first, or after 20 s.
 */
export async function spawnDevIdp(
  options: SpawnDevIdpOptions,
): Promise<SpawnedDevIdp> {
  const child = await spawnReady<{ issuer?: unknown }>({
    script: CLI_PATH,
    args: buildArgs(options),
    readyPrefix: 'PORTCULLIS_DEV_IDP_READY',
    readyTimeoutMs: READY_TIMEOUT_MS,
  });
  const { issuer } = child.ready;
  if (typeof issuer !== 'string') {
    await child.stop();
    throw new Error('dev IdP printed a ready line without an issuer');
  }

  return { issuer, stop: child.stop };
}
