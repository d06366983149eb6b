import {
  escapeHtml,
  PAGE_HEADERS,
  renderLoginPage,
  renderLogoutPage,
  renderMessagePage,
} from '../src/pages.js';

describe('escapeHtml', () => {
  it('escapes the characters that end text or an attribute', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });
});

describe('renderLoginPage', () => {
  it('posts the form to the login route of the interaction', () => {
    const html = renderLoginPage({ uid: 'abc', clientId: 'app' });

    expect(html).toContain('action="/interaction/abc/login"');
    expect(html).toContain('href="/interaction/abc/abort"');
    expect(html).toContain('name="email"');
    expect(html).toContain('name="password"');
    expect(html).not.toContain('role="alert"');
  });

  it('escapes the client id, the email and the error', () => {
    const html = renderLoginPage({
      uid: 'a"b',
      clientId: '<app>',
      email: '"><script>',
      error: '<b>no</b>',
    });

    expect(html).not.toMatch(/<script>|<app>|<b>/);
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;"');
    expect(html).toContain('/interaction/a%22b/login');
  });

  it('shows an error above the form', () => {
    const html = renderLoginPage({ uid: 'u', clientId: 'c', error: 'Nope.' });
    expect(html).toContain('<p class="error" role="alert">Nope.</p>');
  });
});

describe('renderLogoutPage', () => {
  it('keeps the provider form and submits it with both buttons', () => {
    const form = '<form id="op.logoutForm" method="post"></form>';
    const html = renderLogoutPage(form);

    expect(html).toContain(form);
    expect(html.match(/form="op.logoutForm"/g)).toHaveLength(2);
    expect(html).toContain('name="logout" value="yes"');
  });
});

describe('renderMessagePage', () => {
  it('escapes the title and the message', () => {
    const html = renderMessagePage('<t>', '<m>');
    expect(html).toContain('&lt;t&gt;');
    expect(html).toContain('&lt;m&gt;');
  });
});

describe('PAGE_HEADERS', () => {
  it('allows the inline style by hash and nothing else', () => {
    const csp = PAGE_HEADERS['Content-Security-Policy'];
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[\w+/=]+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(PAGE_HEADERS['Cache-Control']).toBe('no-store');
  });
});
