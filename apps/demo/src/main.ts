/**
 * Starts the demo: the HTTP server first (so its URL is known), then the
 * local test IdP with the demo registered as a confidential client, then
 * the application. Prints the URL to open.
 */

import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

import { createAuditBus } from '@portcullis/core';
import { startDevIdp } from '@portcullis/dev-idp';
import { googleProvider, oidcProvider } from '@portcullis/federated-login';
import type { ProviderConfig } from '@portcullis/federated-login';

import { createDemoApp } from './app.js';
import { readConfig } from './config.js';
import { createLogger, logAuditEvents } from './logging.js';

const DEMO_CLIENT_ID = 'portcullis-demo';
const GOOGLE_OFF = 'off (set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET)';

async function main(): Promise<void> {
  const config = readConfig(process.env);
  const logger = createLogger(config.logLevel);
  const audit = createAuditBus();
  logAuditEvents(audit, logger);

  const server = createServer();
  await new Promise<void>((resolve) =>
    server.listen(config.port, config.host, resolve),
  );
  const { port } = server.address() as AddressInfo;
  const baseUrl = config.publicUrl ?? `http://${config.host}:${port}`;

  const clientSecret = randomBytes(32).toString('base64url');
  const idp = await startDevIdp({
    port: config.idpPort,
    clients: [
      {
        clientId: DEMO_CLIENT_ID,
        clientSecret,
        redirectUris: [new URL('/login/dev/callback', baseUrl).href],
        postLogoutRedirectUris: [new URL('/', baseUrl).href],
        backchannelLogoutUri: new URL('/login/dev/backchannel-logout', baseUrl)
          .href,
      },
    ],
  });

  const providers: ProviderConfig[] = [
    oidcProvider({
      name: 'dev',
      displayName: 'the local test IdP',
      issuer: idp.issuer,
      clientId: DEMO_CLIENT_ID,
      clientSecret,
    }),
  ];
  if (config.google) providers.unshift(googleProvider(config.google));

  const app = await createDemoApp({
    baseUrl,
    providers,
    tokenEncryptionKey: randomBytes(32),
    sessionEncryptionKey: randomBytes(32),
    publicDir: fileURLToPath(new URL('../public', import.meta.url)),
    testUsers: idp.users,
    logger,
    audit,
  });
  server.on('request', app);

  const users = idp.users
    .map((u) => `    ${u.email.padEnd(24)} ${u.password}`)
    .join('\n');
  process.stdout.write(
    [
      '',
      'Portcullis demo is running.',
      `  Open:           ${baseUrl}`,
      `  Local test IdP: ${idp.issuer}`,
      `  Google sign-in: ${config.google ? 'enabled' : GOOGLE_OFF}`,
      '  Test users (email, password):',
      users,
      '',
      `PORTCULLIS_DEMO_READY ${JSON.stringify({ url: baseUrl, idp: idp.issuer })}`,
      '',
    ].join('\n'),
  );

  const stop = () => {
    server.closeAllConnections();
    server.close();
    void idp.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed to start: ${String(error)}\n`);
  process.exit(1);
});
