import { Browser } from '../../../test-support/http-browser.js';
import {
  pendingTransactions,
  saveTransaction,
  takeTransaction,
} from '../src/transactions.js';
import type { LoginTransaction } from '../src/transactions.js';
import { startLoginHarness } from './helpers/login-app.js';
import type { LoginHarness } from './helpers/login-app.js';
import { loginAtIdp, whoAmI } from './helpers/login-steps.js';

const NOW = 1_800_000_000_000;

function transaction(state: string, fields = {}): LoginTransaction {
  return {
    provider: 'dev',
    state,
    codeVerifier: `verifier-${state}`,
    returnTo: '/',
    expiresAt: NOW + 60_000,
    ...fields,
  };
}

describe('login transactions', () => {
  it('takes a transaction once, by its state', () => {
    const session: Record<string, unknown> = {};
    saveTransaction(session, transaction('a'), 5, NOW);
    saveTransaction(session, transaction('b'), 5, NOW);

    expect(takeTransaction(session, 'dev', 'a', NOW)).toMatchObject({
      state: 'a',
    });
    expect(takeTransaction(session, 'dev', 'a', NOW)).toBe(
      'LOGIN_STATE_MISMATCH',
    );
    expect(takeTransaction(session, 'dev', 'b', NOW)).toMatchObject({
      state: 'b',
    });
    expect(takeTransaction(session, 'dev', 'b', NOW)).toBe(
      'LOGIN_TRANSACTION_MISSING',
    );
    expect(session).toEqual({});
  });

  it.each<[string, unknown, string, number]>([
    ['another provider', 'a', 'dev2', NOW],
    ['a state that is not a string', ['a'], 'dev', NOW],
    ['an unknown state', 'zz', 'dev', NOW],
  ])('refuses %s as a state mismatch', (_name, state, provider, now) => {
    const session: Record<string, unknown> = {};
    saveTransaction(session, transaction('a'), 5, NOW);

    expect(takeTransaction(session, provider, state, now)).toBe(
      'LOGIN_STATE_MISMATCH',
    );
  });

  it('refuses an expired transaction and removes it', () => {
    const session: Record<string, unknown> = {};
    saveTransaction(session, transaction('a'), 5, NOW);

    expect(takeTransaction(session, 'dev', 'a', NOW + 60_000)).toBe(
      'LOGIN_TRANSACTION_EXPIRED',
    );
    expect(session).toEqual({});
  });

  it('keeps at most maxPending, dropping the oldest and the expired', () => {
    const session: Record<string, unknown> = {};
    saveTransaction(
      session,
      transaction('old', { expiresAt: NOW + 1 }),
      3,
      NOW,
    );
    saveTransaction(session, transaction('x', { expiresAt: NOW + 10 }), 3, NOW);
    saveTransaction(session, transaction('y', { expiresAt: NOW + 20 }), 3, NOW);
    saveTransaction(session, transaction('z', { expiresAt: NOW + 30 }), 3, NOW);
    saveTransaction(session, transaction('gone', { expiresAt: NOW }), 3, NOW);
    saveTransaction(
      session,
      transaction('w', { expiresAt: NOW + 40 }),
      3,
      NOW + 5,
    );

    const kept = Object.keys(
      pendingTransactions(session)['portcullis.login.transactions'] as object,
    );
    expect(kept.sort()).toEqual(['w', 'y', 'z']);
  });
});

describe('createFederatedLogin transaction lifetime', () => {
  let harness: LoginHarness;
  let now = Date.now();

  beforeAll(async () => {
    harness = await startLoginHarness({
      login: { clock: () => now, transactionTtlSeconds: 120 },
    });
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('refuses a login finished after transactionTtlSeconds', async () => {
    const browser = new Browser();
    const callbackUrl = await loginAtIdp(browser, harness.baseUrl);
    now += 121_000;
    const hop = await browser.request(callbackUrl);

    expect(hop.response.status).toBe(400);
    expect(hop.body).toContain('LOGIN_TRANSACTION_EXPIRED');
    expect(harness.resolved).toHaveLength(0);
    expect(await whoAmI(browser, harness.baseUrl)).toEqual({
      user: null,
      login: null,
    });
  });

  it('accepts a login finished within transactionTtlSeconds', async () => {
    now = Date.now();
    const browser = new Browser();
    const callbackUrl = await loginAtIdp(browser, harness.baseUrl);
    now += 119_000;
    const hop = await browser.request(callbackUrl);

    expect(hop.response.status).toBe(303);
  });
});
