/**
 * A small JWKS server for the HTTP benchmark, on 127.0.0.1 and a free
 * port, counting the fetches it answers.
 */

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { JWK } from 'jose';

/** A running JWKS server. */
export interface JwksServer {
  /** `http://127.0.0.1:PORT`, also the issuer of the bench tokens. */
  readonly issuer: string;
  /** The JWKS URL. */
  readonly jwksUri: string;
  /** How many JWKS requests were answered. */
  fetches(): number;
  close(): Promise<void>;
}

/** Serves `keys` at `/.well-known/jwks.json`. */
export async function startJwksServer(keys: JWK[]): Promise<JwksServer> {
  const body = JSON.stringify({ keys });
  let fetches = 0;
  const server = createServer((req, res) => {
    if (req.url !== '/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }

    fetches += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  return {
    issuer,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    fetches: () => fetches,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
