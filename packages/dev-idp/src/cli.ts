#!/usr/bin/env node
/**
 * portcullis-dev-idp: starts the dev IdP from the command line, prints the
 * issuer and the test users, then a ready line; SIGTERM or SIGINT stops it.
 */

import { parseCliArgs, USAGE } from './cli-args.js';
import { formatStartup } from './cli-output.js';
import { startDevIdp } from './dev-idp.js';
import type { CliArgs } from './cli-args.js';
import type { TestUser } from './test-users.js';

const USAGE_EXIT_CODE = 2;

function readArgs(argv: string[]): CliArgs | undefined {
  try {
    return parseCliArgs(argv);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`portcullis-dev-idp: ${message}\n\n${USAGE}`);
    process.exitCode = USAGE_EXIT_CODE;
    return undefined;
  }
}

async function main(argv: string[]): Promise<void> {
  const args = readArgs(argv);
  if (args === undefined) return;
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }

  const client = {
    clientId: args.clientId,
    clientSecret: args.clientSecret,
    redirectUris: args.redirectUris,
    postLogoutRedirectUris: args.postLogoutRedirectUris,
    ...(args.backchannelLogoutUri === undefined
      ? {}
      : { backchannelLogoutUri: args.backchannelLogoutUri }),
  };
  const idp = await startDevIdp({
    port: args.port,
    clients: [client],
    ...(args.users === undefined ? {} : { users: args.users as TestUser[] }),
    ...(args.apiAudience === undefined ? {} : { apiAudience: args.apiAudience }),
  });

  const stop = () => {
    idp.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);

  const info = { ...client, issuer: idp.issuer, users: idp.users };
  process.stdout.write(formatStartup(info));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`portcullis-dev-idp: ${message}\n`);
  process.exit(1);
});
