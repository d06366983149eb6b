/**
 * Server-rendered pages of the demo. Every value that came from a user or
 * an IdP is escaped; scripts and styles are files, so `script-src` can stay
 * `'self'`.
 */

import type { ProviderLink } from '@portcullis/federated-login';

import type { DemoUser } from './users.js';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function layout(title: string, body: string, scripts: string[] = []): string {
  const tags = scripts.map((src) => `<script src="${src}" defer></script>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} - Portcullis demo</title>
<link rel="stylesheet" href="/static/styles.css">${tags.join('')}
</head><body><header><a class="brand" href="/">Portcullis demo</a></header>
<main>${body}</main></body></html>`;
}

/** A test user shown on the home page, for the local IdP. */
export interface TestCredential {
  email: string;
  password: string;
}

/** The home page: one button per configured provider. */
export function homePage(
  providers: readonly ProviderLink[],
  user: DemoUser | undefined,
  testUsers: readonly TestCredential[],
): string {
  if (user !== undefined) {
    return layout(
      'Home',
      `<h1>Welcome back, ${esc(user.name)}</h1>
<p><a class="button" href="/profile">Go to your profile</a></p>`,
    );
  }

  const buttons = providers
    .map((p) => {
      const label =
        p.name === 'google'
          ? 'Sign in with Google'
          : `Sign in with ${p.displayName}`;
      const id = `login-${esc(p.name)}`;
      return `<a class="button" id="${id}" href="${esc(p.loginPath)}">${esc(label)}</a>`;
    })
    .join('\n');
  const rows = testUsers
    .map(
      (u) =>
        `<tr><td>${esc(u.email)}</td><td><code>${esc(u.password)}</code></td></tr>`,
    )
    .join('');
  const credentials = rows
    ? `<h2>Test users of the local IdP</h2>
<table><thead><tr><th>Email</th><th>Password</th></tr></thead><tbody>${rows}</tbody></table>`
    : '';
  return layout(
    'Sign in',
    `<h1>Sign in</h1>
<p>Portcullis signs you in with an identity provider, keeps your session on
the server behind an HttpOnly cookie, and calls its API with a short-lived
token that never reaches this browser.</p>
<div class="buttons">${buttons}</div>${credentials}`,
  );
}

/** The profile page: who is signed in, and the API call's result. */
export function profilePage(user: DemoUser, csrf: string): string {
  return layout(
    'Profile',
    `<h1>Signed in as <span id="user-name">${esc(user.name)}</span></h1>
<dl>
<dt>Email</dt><dd id="user-email">${esc(user.email ?? 'none')}
${user.emailVerified ? '(verified)' : '(not verified)'}</dd>
<dt>Account id</dt><dd><code id="account-id">${esc(user.id)}</code></dd>
<dt>Identity provider</dt><dd>${esc(user.issuer)}</dd>
<dt>Subject at the provider</dt><dd><code>${esc(user.subject)}</code></dd>
</dl>
<h2>GET /api/me</h2>
<p>The server exchanged your session for an access token and called its API
with it.</p>
<pre id="api-result" data-status="pending">calling...</pre>
<h2>Display name</h2>
<form method="post" action="/profile/name" class="inline">
<input type="hidden" name="_csrf" value="${esc(csrf)}">
<input id="name" name="name" maxlength="60" required value="${esc(user.name)}">
<button id="save-name" type="submit">Save</button></form>
<div class="actions">
<form method="post" action="/logout">
<input type="hidden" name="_csrf" value="${esc(csrf)}">
<button id="logout" type="submit">Log out</button></form>
<form method="post" action="/logout/everywhere">
<input type="hidden" name="_csrf" value="${esc(csrf)}">
<button id="logout-everywhere" type="submit">Sign out everywhere</button></form>
</div>`,
    ['/static/profile.js'],
  );
}
