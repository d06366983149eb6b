/**
 * Fetches a JSON document (a JWKS or issuer metadata) with a timeout, no
 * redirects and a size cap. Every failure is a plain Error for the caller
 * to map; nothing from the response is trusted beyond its JSON shape.
 */

// A JWKS or a metadata document is a few kilobytes; more is an attack or
// a misconfiguration.
const MAX_DOCUMENT_BYTES = 512 * 1024;

/**
 * Returns the parsed JSON body of `url`.
 *
 * @throws Error on a network failure, a timeout, a status other than 200,
 * a body over 512 KiB or a body that is not JSON.
 */
export async function fetchJson(url: URL, timeoutMs: number): Promise<unknown> {
  const response = await fetch(url, {
    redirect: 'error',
    signal: AbortSignal.timeout(timeoutMs),
    headers: { accept: 'application/json' },
  });
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new Error(`unexpected status ${response.status}`);
  }

  const text = await response.text();
  if (Buffer.byteLength(text) > MAX_DOCUMENT_BYTES) {
    throw new Error('document too large');
  }

  return JSON.parse(text) as unknown;
}
