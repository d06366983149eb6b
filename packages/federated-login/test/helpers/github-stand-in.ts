// A local stand-in for GitHub's OAuth endpoints (authorize, access_token)
// and its REST API (/user, /user/emails), enforcing the client secret, the
// redirect URI, single-use codes and PKCE S256 as a real server would.

import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { listen } from './login-app.js';

export interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

export interface GitHubStandIn {
  url: string;
  /** The emails /user/emails answers for the next logins. */
  emails: GitHubEmail[];
  /** Status /user answers with; 200 unless a test breaks it. */
  userStatus: { value: number };
  /** Authorization requests seen, as query objects. */
  authorizations: Record<string, string>[];
  close(): Promise<void>;
}

interface Grant {
  challenge: string;
  redirectUri: string;
}

function readBody(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => resolve(new URLSearchParams(body)));
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

export async function startGitHubStandIn(client: {
  clientId: string;
  clientSecret: string;
}): Promise<GitHubStandIn> {
  const grants = new Map<string, Grant>();
  const tokens = new Set<string>();
  const state = {
    emails: [] as GitHubEmail[],
    userStatus: { value: 200 },
    authorizations: [] as Record<string, string>[],
  };

  function authorize(url: URL, res: ServerResponse) {
    const query = Object.fromEntries(url.searchParams);
    state.authorizations.push(query);
    if (query.client_id !== client.clientId || !query.redirect_uri) {
      return sendJson(res, 400, { error: 'invalid_request' });
    }

    const code = randomBytes(16).toString('hex');
    grants.set(code, {
      challenge: query.code_challenge ?? '',
      redirectUri: query.redirect_uri,
    });
    const back = new URL(query.redirect_uri);
    back.searchParams.set('code', code);
    if (query.state !== undefined) back.searchParams.set('state', query.state);
    res.writeHead(302, { location: back.href }).end();
  }

  async function exchange(req: IncomingMessage, res: ServerResponse) {
    const body = await readBody(req);
    const grant = grants.get(body.get('code') ?? '');
    grants.delete(body.get('code') ?? '');
    const verifier = body.get('code_verifier') ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const ok =
      body.get('client_id') === client.clientId &&
      body.get('client_secret') === client.clientSecret &&
      grant !== undefined &&
      grant.redirectUri === body.get('redirect_uri') &&
      grant.challenge === challenge;
    // Like GitHub: a refused code still answers 200, with an error field.
    if (!ok) return sendJson(res, 200, { error: 'bad_verification_code' });

    const token = randomBytes(16).toString('hex');
    tokens.add(token);
    sendJson(res, 200, { access_token: token, token_type: 'bearer' });
  }

  function api(req: IncomingMessage, res: ServerResponse, path: string) {
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!tokens.has(token)) return sendJson(res, 401, {});
    if (path === '/user/emails') return sendJson(res, 200, state.emails);
    if (state.userStatus.value !== 200) {
      return sendJson(res, state.userStatus.value, {});
    }
    sendJson(res, 200, {
      id: 4242,
      login: 'octocat',
      name: 'The Octocat',
      avatar_url: 'https://avatars.example/4242',
    });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (url.pathname === '/login/oauth/authorize') return authorize(url, res);
    if (url.pathname === '/login/oauth/access_token' && req.method === 'POST') {
      exchange(req, res).catch(() => sendJson(res, 500, {}));
      return;
    }
    if (url.pathname === '/user' || url.pathname === '/user/emails') {
      return api(req, res, url.pathname);
    }
    sendJson(res, 404, {});
  });

  const url = await listen(server);
  return {
    url,
    ...state,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
