import * as path from 'node:path';

import type { Browser, Page } from 'playwright-core';

import { spawnReady } from '../../../test-support/spawn-ready.js';
import type { SpawnedProcess } from '../../../test-support/spawn-ready.js';
import { launchChromium } from './helpers/chromium.js';

const DEMO_DIR = path.resolve(__dirname, '..');

/** Signs in at the local IdP as a test user and lands on /profile. */
async function signIn(page: Page, url: string, user: string) {
  await page.goto(url);
  await page.click('#login-dev');
  await page.waitForSelector('input[name=email]');
  await page.fill('input[name=email]', `${user}@example.test`);
  await page.fill('input[name=password]', `${user}-password`);
  await Promise.all([
    page.waitForURL(`${url}/profile`),
    page.click('button[type=submit]'),
  ]);
}

interface DemoReady {
  url: string;
  idp: string;
}

describe('demo login flow in Chromium', () => {
  let demo: SpawnedProcess<DemoReady>;
  let browser: Browser;

  beforeAll(async () => {
    demo = await spawnReady<DemoReady>({
      script: path.join(DEMO_DIR, 'src/main.ts'),
      cwd: DEMO_DIR,
      env: { PORT: '0', DEV_IDP_PORT: '0', LOG_LEVEL: 'warn' },
      readyPrefix: 'PORTCULLIS_DEMO_READY',
    });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it('signs in at the local IdP, calls the API, and logs out', async () => {
    const { url } = demo.ready;
    const context = await browser.newContext();
    const page = await context.newPage();

    await signIn(page, url, 'alice');

    expect(await page.textContent('#user-name')).toBe('Alice Example');
    const result = page.locator('#api-result:not([data-status=pending])');
    await result.waitFor();
    expect(await result.getAttribute('data-status')).toBe('200');
    const accountId = await page.textContent('#account-id');
    const api = JSON.parse(
      (await result.textContent())!.split('\n').slice(1).join('\n'),
    );
    expect(api.sub).toBe(accountId);

    const cookies = await context.cookies(url);
    const session = cookies.find((c) => c.name === 'portcullis.sid');
    expect(session?.httpOnly).toBe(true);
    expect(cookies.some((c) => /token/i.test(c.name))).toBe(false);
    expect(await page.evaluate(() => document.cookie)).not.toContain(
      'portcullis.sid',
    );
    expect(api.sid).toMatch(/^[\w-]{43}$/);
    expect(api.sid).not.toBe(session!.value);

    // Logging out here also ends the IdP session (RP-initiated logout):
    // the IdP asks to confirm, then returns to the demo's home page.
    await page.click('#logout');
    await page.waitForSelector('button[name=logout][value=yes]');
    await Promise.all([
      page.waitForURL(`${url}/`),
      page.click('button[name=logout][value=yes]'),
    ]);
    expect(await page.isVisible('#login-dev')).toBe(true);

    const inBrowser = await page.evaluate(async () => {
      const res = await fetch('/api/me');
      return {
        status: res.status,
        challenge: res.headers.get('www-authenticate'),
      };
    });
    expect(inBrowser).toEqual({ status: 401, challenge: 'Bearer' });

    const oldCookie = `portcullis.sid=${session!.value}`;
    const api401 = await fetch(`${url}/api/me`, {
      headers: { cookie: oldCookie },
    });
    expect(api401.status).toBe(401);
    expect(api401.headers.get('www-authenticate')).toBe('Bearer');
    const profile = await fetch(`${url}/profile`, {
      headers: { cookie: oldCookie },
      redirect: 'manual',
    });
    expect(profile.status).toBe(303);
    expect(profile.headers.get('location')).toBe('/');

    // The IdP session ended too: signing in again asks for the password.
    await page.click('#login-dev');
    await page.waitForSelector('input[name=password]');

    await context.close();
  }, 60_000);

  it('signs in from two tabs at once, both succeeding', async () => {
    const { url } = demo.ready;
    const context = await browser.newContext();
    const [left, right] = [await context.newPage(), await context.newPage()];

    // Both tabs start a login and reach the IdP before either finishes.
    for (const page of [left, right]) {
      await page.goto(url);
      await page.click('#login-dev');
      await page.waitForSelector('input[name=email]');
    }
    for (const page of [right, left]) {
      await page.fill('input[name=email]', 'alice@example.test');
      await page.fill('input[name=password]', 'alice-password');
      await Promise.all([
        page.waitForURL(`${url}/profile`),
        page.click('button[type=submit]'),
      ]);
      expect(await page.textContent('#user-name')).toBe('Alice Example');
    }

    await context.close();
  }, 60_000);

  it('submits a protected form, then signs out everywhere from another browser', async () => {
    const { url } = demo.ready;
    const laptop = await browser.newContext();
    const phone = await browser.newContext();
    const first = await laptop.newPage();
    const second = await phone.newPage();

    await signIn(first, url, 'bob');
    await first.fill('#name', 'Bob on the laptop');
    await Promise.all([
      first.waitForURL(`${url}/profile`),
      first.click('#save-name'),
    ]);
    expect(await first.textContent('#user-name')).toBe('Bob on the laptop');

    await signIn(second, url, 'bob');
    await Promise.all([
      second.waitForURL(`${url}/`),
      second.click('#logout-everywhere'),
    ]);

    await first.goto(`${url}/profile`);
    expect(first.url()).toBe(`${url}/`);
    expect(await first.isVisible('#login-dev')).toBe(true);
    const api = await first.evaluate(
      async () => (await fetch('/api/me')).status,
    );
    expect(api).toBe(401);

    await laptop.close();
    await phone.close();
  }, 60_000);
});
