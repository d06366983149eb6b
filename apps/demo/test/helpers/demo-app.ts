// Builds the demo application in-process, listening on loopback, with a
// provider whose IdP is never contacted by these tests.

import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createAuditBus, silentLogger } from '@portcullis/core';
import { googleProvider, oidcProvider } from '@portcullis/federated-login';

import { createDemoApp } from '../../src/app.js';

export interface RunningDemo {
  url: string;
  close(): Promise<void>;
}

export async function startDemo(withGoogle = false): Promise<RunningDemo> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const providers = [
    oidcProvider({
      name: 'dev',
      displayName: 'the local test IdP',
      issuer: 'http://127.0.0.1:1',
      clientId: 'demo',
      clientSecret: 'demo-secret',
    }),
  ];
  if (withGoogle) {
    providers.unshift(googleProvider({ clientId: 'g', clientSecret: 'gs' }));
  }

  const app = await createDemoApp({
    baseUrl: url,
    providers,
    tokenEncryptionKey: randomBytes(32),
    sessionEncryptionKey: randomBytes(32),
    publicDir: path.resolve(__dirname, '../../public'),
    testUsers: [{ email: 'alice@example.test', password: 'alice-password' }],
    logger: silentLogger,
    audit: createAuditBus(),
  });
  server.on('request', app);
  return {
    url,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
