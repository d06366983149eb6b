/**
 * What portcullis-dev-idp prints once it listens: lines for people (the
 * issuer, the client, the test users and their passwords), then one line
 * for programs that wait for the IdP to be ready.
 */

import type { TestUser } from './test-users.js';

/** Prefix of the machine-readable line; a JSON object follows a space. */
export const READY_PREFIX = 'PORTCULLIS_DEV_IDP_READY';

/** What the startup text describes. */
export interface StartupInfo {
  issuer: string;
  clientId: string;
  redirectUris: readonly string[];
  users: readonly TestUser[];
}

function formatTable(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, column) =>
    Math.max(...rows.map((row) => row[column]?.length ?? 0)),
  );

  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths?.[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

/**
 * Formats the startup text, ending with the line
 * `PORTCULLIS_DEV_IDP_READY {"issuer":"..."}` and a newline.
 */
export function formatStartup(info: StartupInfo): string {
  const userRows = info.users.map((user) => [
    user.email,
    user.password,
    user.name,
    user.emailVerified ? 'yes' : 'no',
  ]);
  const table = formatTable([
    ['email', 'password', 'name', 'email verified'],
    ...userRows,
  ]);

  const lines = [
    'Portcullis dev IdP: for local development and tests only.',
    `Issuer:        ${info.issuer}`,
    `Discovery:     ${info.issuer}/.well-known/openid-configuration`,
    `Client id:     ${info.clientId}`,
    `Redirect URIs: ${info.redirectUris.join(', ')}`,
    '',
    'Test users:',
    ...table.map((line) => `  ${line}`),
    '',
    `${READY_PREFIX} ${JSON.stringify({ issuer: info.issuer })}`,
  ];
  return `${lines.join('\n')}\n`;
}
