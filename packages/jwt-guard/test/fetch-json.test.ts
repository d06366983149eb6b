import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { fetchJson } from '../src/fetch-json.js';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/big') {
      res.writeHead(200).end(JSON.stringify({ pad: 'x'.repeat(600 * 1024) }));
    } else if (req.url === '/redirect') {
      res.writeHead(302, { location: '/ok' }).end();
    } else if (req.url === '/ok') {
      res.writeHead(200).end('{"keys":[]}');
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('fetchJson', () => {
  it('returns the parsed body', async () => {
    await expect(fetchJson(new URL(`${base}/ok`), 1000)).resolves.toEqual({
      keys: [],
    });
  });

  it.each(['/big', '/redirect', '/missing'])('refuses %s', async (path) => {
    await expect(fetchJson(new URL(`${base}${path}`), 1000)).rejects.toThrow();
  });
});
