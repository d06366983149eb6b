/**
 * A minimal browser for driving the dev IdP over real HTTP: fetch with
 * manual redirects and a cookie jar keyed by cookie name.
 */

/** One response with its absolute URL. */
export interface Hop {
  url: string;
  response: Response;
  body: string;
}

function isExpired(attributes: string[]): boolean {
  return attributes.some((attribute) => {
    const [name = '', value = ''] = attribute.trim().split('=');
    if (name.toLowerCase() === 'max-age') return Number(value) <= 0;
    if (name.toLowerCase() === 'expires') {
      return Date.parse(value) <= Date.now();
    }

    return false;
  });
}

/** Sends requests like a browser would, keeping cookies between them. */
export class Browser {
  readonly cookies = new Map<string, string>();

  private store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';');
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator).trim();
      if (isExpired(attributes)) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(separator + 1).trim());
    }
  }

  private cookieHeader(): string {
    return [...this.cookies]
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
  }

  /** One request; redirects are not followed. */
  async request(url: string, init: RequestInit = {}): Promise<Hop> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', this.cookieHeader());
    const response = await fetch(url, {
      ...init,
      headers,
      redirect: 'manual',
    });
    this.store(response);
    return { url, response, body: await response.text() };
  }

  /** Posts an HTML form (application/x-www-form-urlencoded). */
  postForm(url: string, fields: Record<string, string>): Promise<Hop> {
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /**
   * Follows redirects from a hop with GET until a response is not a
   * redirect, or until the next location satisfies `stopAt`; then returns
   * that location without requesting it.
   */
  async follow(
    hop: Hop,
    stopAt: (location: string) => boolean = () => false,
  ): Promise<Hop | string> {
    let current = hop;
    for (let count = 0; count < 10; count += 1) {
      const location = current.response.headers.get('location');
      if (current.response.status < 300 || location === null) return current;
      const next = new URL(location, current.url).href;
      if (stopAt(next)) return next;
      current = await this.request(next);
    }

    throw new Error(`too many redirects from ${hop.url}`);
  }
}
