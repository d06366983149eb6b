/**
 * A loopback HTTP server that counts every request it receives, whatever
 * the path; used to prove that the guard fetches nothing a token names.
 */

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running counting server. */
export interface CountingServer {
  readonly url: string;
  readonly requests: () => number;
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 that answers 200 with `body`. */
export async function startCountingServer(
  body = '{}',
): Promise<CountingServer> {
  let count = 0;
  const server = createServer((_req, res) => {
    count += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => count,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
