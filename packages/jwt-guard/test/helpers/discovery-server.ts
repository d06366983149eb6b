/**
 * A loopback issuer that serves OIDC discovery (or only RFC 8414 metadata)
 * and its JWKS, counting requests per path.
 */

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { JWK } from 'jose';

/** A running issuer. */
export interface DiscoveryServer {
  readonly issuer: string;
  readonly hits: Map<string, number>;
  setMetadataIssuer(value: string): void;
  close(): Promise<void>;
}

/** Starts the issuer; `style` picks which metadata document exists. */
export async function startDiscoveryServer(
  keys: JWK[],
  style: 'oidc' | 'rfc8414',
): Promise<DiscoveryServer> {
  const hits = new Map<string, number>();
  let issuer = '';
  let metadataIssuer: string | undefined;
  const metadataPath =
    style === 'oidc'
      ? '/.well-known/openid-configuration'
      : '/.well-known/oauth-authorization-server';

  const server = createServer((req, res) => {
    const path = req.url ?? '';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const json = (body: unknown) =>
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(body));
    if (path === metadataPath) {
      json({ issuer: metadataIssuer ?? issuer, jwks_uri: `${issuer}/keys` });
      return;
    }

    if (path === '/keys') {
      json({ keys });
      return;
    }

    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  issuer = `http://127.0.0.1:${port}`;

  return {
    issuer,
    hits,
    setMetadataIssuer(value) {
      metadataIssuer = value;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
