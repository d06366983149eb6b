/**
 * Server-rendered HTML pages of the dev IdP: the login form, the logout
 * confirmation and the message pages. One inline stylesheet, allowed by
 * its hash in a strict Content-Security-Policy; no scripts.
 */

import { createHash } from 'node:crypto';

import { interactionPath } from './interaction-path.js';

const STYLE = [
  'body{margin:0;min-height:100vh;display:flex;align-items:center;',
  'justify-content:center;background:#f3f4f6;color:#111827;',
  'font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}',
  'main{width:100%;max-width:22rem;margin:1rem;padding:2rem;',
  'background:#fff;border-radius:.75rem;box-shadow:0 1px 3px #0002}',
  'h1{margin:0 0 .25rem;font-size:1.5rem}',
  '.badge{margin:0 0 1rem;font-size:.75rem;color:#92400e;',
  'text-transform:uppercase;letter-spacing:.05em}',
  '.lead{margin:0 0 1.25rem;color:#4b5563}',
  '.error{margin:0 0 1rem;padding:.5rem .75rem;border-radius:.375rem;',
  'background:#fef2f2;color:#991b1b}',
  'label{display:block;margin:.75rem 0 .25rem;font-weight:600}',
  'input{box-sizing:border-box;width:100%;padding:.5rem .75rem;',
  'border:1px solid #d1d5db;border-radius:.375rem;font:inherit}',
  'button{width:100%;margin-top:1.25rem;padding:.6rem;border:0;',
  'border-radius:.375rem;background:#1d4ed8;color:#fff;font:inherit;',
  'font-weight:600;cursor:pointer}',
  'button.secondary{margin-top:.5rem;background:#e5e7eb;color:#111827}',
  'a{display:block;margin-top:1rem;text-align:center;color:#1d4ed8}',
].join('');

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

// No form-action: browsers apply it to the redirects that follow a form
// submission, which would block the hop back to the client's redirect_uri.
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${STYLE_HASH}'`,
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Response headers for every page: strict CSP, no framing, no caching. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
});

/** Escapes text for an HTML element body or a quoted attribute value. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function renderPage(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)} - Portcullis dev IdP</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body><main>',
    '<p class="badge">Portcullis dev IdP &middot; test accounts only</p>',
    body,
    '</main></body>',
    '</html>',
  ].join('\n');
}

/** What the login form shows. */
export interface LoginPageInput {
  /** The interaction uid, part of the form's action URL. */
  uid: string;
  /** The client_id the user is signing in to. */
  clientId: string;
  /** Email to prefill (after a failed attempt or from login_hint). */
  email?: string;
  /** Shown above the form when set. */
  error?: string;
}

/** Renders the email and password form with a Cancel link. */
export function renderLoginPage(input: LoginPageInput): string {
  const base = interactionPath(input.uid);
  const error =
    input.error === undefined
      ? ''
      : `<p class="error" role="alert">${escapeHtml(input.error)}</p>`;

  return renderPage(
    'Sign in',
    [
      '<h1>Sign in</h1>',
      `<p class="lead">to continue to ${escapeHtml(input.clientId)}</p>`,
      error,
      `<form method="post" action="${escapeHtml(base)}/login">`,
      '<label for="email">Email</label>',
      '<input id="email" name="email" type="email" autocomplete="username"',
      ` required autofocus value="${escapeHtml(input.email ?? '')}">`,
      '<label for="password">Password</label>',
      '<input id="password" name="password" type="password"',
      ' autocomplete="current-password" required>',
      '<button type="submit">Sign in</button>',
      '</form>',
      `<a href="${escapeHtml(base)}/abort">Cancel</a>`,
    ].join('\n'),
  );
}

/**
 * Renders the RP-initiated logout confirmation around the provider's own
 * hidden form (`op.logoutForm`, which carries the xsrf token).
 */
export function renderLogoutPage(providerForm: string): string {
  return renderPage(
    'Sign out',
    [
      '<h1>Sign out</h1>',
      '<p class="lead">Do you want to sign out of the dev IdP?</p>',
      providerForm,
      '<button type="submit" form="op.logoutForm" name="logout" value="yes"',
      ' autofocus>Yes, sign me out</button>',
      '<button type="submit" form="op.logoutForm" class="secondary">',
      'No, stay signed in</button>',
    ].join('\n'),
  );
}

/** Renders a page with a heading and one paragraph of text. */
export function renderMessagePage(title: string, message: string): string {
  return renderPage(
    title,
    `<h1>${escapeHtml(title)}</h1>\n<p class="lead">${escapeHtml(message)}</p>`,
  );
}
