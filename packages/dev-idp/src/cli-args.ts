/**
 * Command-line arguments of portcullis-dev-idp, parsed with node:util
 * parseArgs in strict mode: an unknown flag is an error, never ignored.
 */

import { parseArgs } from 'node:util';

const MAX_PORT = 65535;

/** The documented demo client id, the default of --client-id. */
export const DEMO_CLIENT_ID = 'portcullis-demo';

/** The documented demo client secret, the default of --client-secret. */
export const DEMO_CLIENT_SECRET = 'portcullis-demo-secret';

/** Usage text printed by --help and after an argument error. */
export const USAGE = `Usage: portcullis-dev-idp --redirect-uri URL [options]

Options:
  --port N                     port on 127.0.0.1 (default 0: ephemeral)
  --client-id ID               client_id (default ${DEMO_CLIENT_ID})
  --client-secret SECRET       client secret (default ${DEMO_CLIENT_SECRET})
  --redirect-uri URL           allowed redirect_uri (required, repeatable)
  --post-logout-redirect-uri URL
                               allowed post_logout_redirect_uri (repeatable)
  --backchannel-logout-uri URL
                               OIDC Back-Channel Logout receiver of the client
  --users-json JSON            the users, as a JSON array of TestUser
  --api-audience URL           issue RFC 9068 JWT access tokens for this API
                               (default: the three documented test users)
  --help                       print this text
`;

/** The parsed command line. */
export interface CliArgs {
  help: boolean;
  port: number;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  /** The client's back-channel logout URI, if any. */
  backchannelLogoutUri: string | undefined;
  /** Parsed --users-json; checked by startDevIdp. Undefined: defaults. */
  users: unknown;
  /** --api-audience: issue JWT access tokens for this API. */
  apiAudience: string | undefined;
}

function parseUsers(value: string | undefined): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new TypeError('--users-json must be valid JSON');
  }
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(port) || port > MAX_PORT) {
    throw new TypeError(`--port must be an integer from 0 to ${MAX_PORT}`);
  }

  return port;
}

/**
 * Parses the arguments after the script name.
 *
 * @throws TypeError on an unknown flag, a flag without its value, a bad
 *   port, or a missing --redirect-uri (unless --help is given).
 */
export function parseCliArgs(argv: string[]): CliArgs {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      help: { type: 'boolean', default: false },
      port: { type: 'string' },
      'client-id': { type: 'string', default: DEMO_CLIENT_ID },
      'client-secret': { type: 'string', default: DEMO_CLIENT_SECRET },
      'redirect-uri': { type: 'string', multiple: true, default: [] },
      'users-json': { type: 'string' },
      'backchannel-logout-uri': { type: 'string' },
      'api-audience': { type: 'string' },
      'post-logout-redirect-uri': {
        type: 'string',
        multiple: true,
        default: [],
      },
    },
  });

  const args: CliArgs = {
    help: values.help,
    port: parsePort(values.port),
    clientId: values['client-id'],
    clientSecret: values['client-secret'],
    redirectUris: values['redirect-uri'],
    postLogoutRedirectUris: values['post-logout-redirect-uri'],
    backchannelLogoutUri: values['backchannel-logout-uri'],
    users: parseUsers(values['users-json']),
    apiAudience: values['api-audience'],
  };
  if (!args.help && args.redirectUris.length === 0) {
    throw new TypeError('at least one --redirect-uri is required');
  }

  return args;
}
