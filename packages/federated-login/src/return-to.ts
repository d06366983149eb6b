/**
 * The `returnTo` allowlist: after login the user goes back only to a path
 * of this application. Anything a browser could read as another origin
 * (scheme-relative `//host`, backslashes, encoded slashes, other schemes,
 * control characters) is replaced by the default.
 */

const MAX_RETURN_TO_LENGTH = 2048;
const SAFE_PATH = /^\/(?![/\\])[\x21-\x7e]*$/;
// Encoded `/`, `\` and `%` itself: a second decoding step elsewhere (a
// proxy, the app's own redirect) must not turn the path into `//host`.
const ENCODED_DANGER = /%(2f|5c|25)/i;

function isSafePath(value: string): boolean {
  if (value.length > MAX_RETURN_TO_LENGTH) return false;
  if (!SAFE_PATH.test(value) || ENCODED_DANGER.test(value)) return false;
  if (value.includes('\\')) return false;

  // Resolve as a browser would: it must stay on this origin, and dot
  // segments must not leave a path that a later normalisation would read
  // as `//host`.
  const base = 'http://portcullis.invalid';
  try {
    const url = new URL(value, base);
    return url.origin === base && !url.pathname.startsWith('//');
  } catch {
    return false;
  }
}

/**
 * Returns `value` when it is a same-origin relative path (`/a/b?c#d`),
 * otherwise `fallback`.
 *
 * @example
 * safeReturnTo('//evil.example', '/'); // '/'
 */
export function safeReturnTo(value: unknown, fallback: string): string {
  if (typeof value !== 'string') return fallback;
  return isSafePath(value) ? value : fallback;
}
