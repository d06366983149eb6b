/**
 * Builds the key source of each trusted issuer from its validated key
 * spec: one cache per issuer, so a key published by one issuer can never
 * verify a token that names another.
 */

import { discoverJwksUri } from './discovery.js';
import type { IssuerConfig } from './issuer-options.js';
import { createSecretKeySource, createStaticKeySource } from './key-source.js';
import type { KeySource } from './key-source.js';
import type { GuardConfig } from './options.js';
import { createRemoteKeySource } from './remote-key-source.js';

function discoveredUrl(issuer: string, timeoutMs: number): () => Promise<URL> {
  let found: URL | undefined;
  return async () => {
    found ??= await discoverJwksUri(issuer, timeoutMs);
    return found;
  };
}

function createSource(entry: IssuerConfig, config: GuardConfig): KeySource {
  const { keys } = entry;
  if (keys.kind === 'jwks') {
    if (keys.set.entries.length === 0) {
      config.logger.warn(
        'the static JWKS has no usable public key: its tokens will be refused',
        { issuer: entry.issuer },
      );
    }

    return createStaticKeySource(keys.set);
  }
  if (keys.kind === 'secret') return createSecretKeySource(keys.secret);

  const resolveUrl =
    keys.kind === 'uri'
      ? async () => keys.url
      : discoveredUrl(entry.issuer, config.jwks.timeoutMs);
  return createRemoteKeySource({
    ...config.jwks,
    resolveUrl,
    clock: config.clock,
    logger: config.logger,
    issuer: entry.issuer,
  });
}

/** Returns a key source per trusted issuer, keyed by the exact `iss`. */
export function createKeySources(
  config: GuardConfig,
): ReadonlyMap<string, KeySource> {
  const sources = new Map<string, KeySource>();
  for (const entry of config.issuers.values()) {
    sources.set(entry.issuer, createSource(entry, config));
  }

  return sources;
}
