/**
 * A real JWKS endpoint on loopback (node:http on port 0) whose behaviour a
 * test can switch: serve the set, fail, hang, or answer with bad JSON.
 */

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { JWK } from 'jose';

/** How the server answers the next requests. */
export type JwksServerMode = 'serve' | 'error' | 'hang' | 'garbage';

/** A running JWKS server. */
export interface JwksServer {
  readonly url: string;
  readonly requests: () => number;
  setKeys(keys: JWK[]): void;
  setMode(mode: JwksServerMode): void;
  close(): Promise<void>;
}

/** Starts a JWKS server on 127.0.0.1 with an ephemeral port. */
export async function startJwksServer(keys: JWK[]): Promise<JwksServer> {
  let current = keys;
  let mode: JwksServerMode = 'serve';
  let count = 0;

  const server = createServer((req, res) => {
    count += 1;
    if (mode === 'hang') return;
    if (mode === 'error') {
      res.writeHead(500).end();
      return;
    }

    const body =
      mode === 'garbage' ? '{"keys": [' : JSON.stringify({ keys: current });
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    requests: () => count,
    setKeys(next) {
      current = next;
    },
    setMode(next) {
      mode = next;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Returns a loopback URL on which nothing listens. */
export async function unusedLoopbackUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/.well-known/jwks.json`;
}
