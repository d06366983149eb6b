import { Browser } from '../../../test-support/http-browser.js';
import { canLinkByEmail, refuseLogin } from '../src/index.js';
import type { FederatedProfile } from '../src/index.js';
import { startLoginHarness } from './helpers/login-app.js';
import type { LoginHarness } from './helpers/login-app.js';
import { loginAtIdp, whoAmI } from './helpers/login-steps.js';

interface Account {
  id: string;
  email: string;
  emailVerified: boolean;
  identities: string[];
}

// A small user directory keyed by (issuer, subject), linking by email only
// through canLinkByEmail, as the README recommends.
function createDirectory() {
  const accounts: Account[] = [];
  const key = (p: FederatedProfile) => `${p.issuer} ${p.subject}`;
  return {
    accounts,
    resolve(profile: FederatedProfile) {
      const known = accounts.find((a) => a.identities.includes(key(profile)));
      if (known) return { id: known.id };

      const sameEmail = accounts.find(
        (a) => a.email.toLowerCase() === profile.email?.toLowerCase(),
      );
      if (sameEmail && canLinkByEmail(sameEmail, profile)) {
        sameEmail.identities.push(key(profile));
        return { id: sameEmail.id };
      }

      const created: Account = {
        id: `acct-${accounts.length + 1}`,
        email: profile.email ?? '',
        emailVerified: profile.emailVerified,
        identities: [key(profile)],
      };
      accounts.push(created);
      return { id: created.id };
    },
  };
}

const profile = (fields: Partial<FederatedProfile>): FederatedProfile => ({
  provider: 'dev',
  issuer: 'https://idp.example',
  subject: 's',
  emailVerified: true,
  email: 'a@example.test',
  claims: {},
  ...fields,
});

describe('canLinkByEmail', () => {
  it.each<[string, object, Partial<FederatedProfile>, boolean]>([
    ['both verified, same email', {}, {}, true],
    [
      'both verified, email in another case',
      {},
      { email: 'A@Example.TEST' },
      true,
    ],
    ['the new identity unverified', {}, { emailVerified: false }, false],
    ['the account unverified', { emailVerified: false }, {}, false],
    ['different emails', {}, { email: 'b@example.test' }, false],
    ['no email on the profile', {}, { email: undefined }, false],
    ['no email on the account', { email: undefined }, {}, false],
  ])('answers for %s', (_name, account, fields, expected) => {
    const existing = {
      email: 'a@example.test',
      emailVerified: true,
      ...account,
    };

    expect(canLinkByEmail(existing, profile(fields))).toBe(expected);
  });
});

describe('createFederatedLogin identity rules', () => {
  const directory = createDirectory();
  const decide = { fn: (p: FederatedProfile): unknown => directory.resolve(p) };
  let harness: LoginHarness;

  beforeAll(async () => {
    harness = await startLoginHarness({ resolveUser: (p) => decide.fn(p) });
  });

  afterAll(async () => {
    await harness?.close();
  });

  afterEach(() => {
    decide.fn = (p) => directory.resolve(p);
  });

  async function signIn(email: string, password: string) {
    const browser = new Browser();
    const callbackUrl = await loginAtIdp(browser, harness.baseUrl, {
      email,
      password,
    });
    const hop = await browser.request(callbackUrl);
    return { hop, me: await whoAmI(browser, harness.baseUrl) };
  }

  it('does not let an unverified email take over an existing account', async () => {
    // An account that owns mallory's address, verified, from another IdP.
    directory.accounts.push({
      id: 'victim',
      email: 'mallory@example.test',
      emailVerified: true,
      identities: ['https://other-idp.example victim-sub'],
    });

    const { hop, me } = await signIn(
      'mallory@example.test',
      'mallory-password',
    );

    expect(hop.response.status).toBe(303);
    expect(me.user).not.toEqual({ id: 'victim' });
    expect(directory.accounts[0]?.identities).toEqual([
      'https://other-idp.example victim-sub',
    ]);
  });

  it('links a verified email to a verified account when the app opts in', async () => {
    directory.accounts.push({
      id: 'bob-account',
      email: 'bob@example.test',
      emailVerified: true,
      identities: ['https://other-idp.example bob-sub'],
    });

    const { me } = await signIn('bob@example.test', 'bob-password');

    expect(me.user).toEqual({ id: 'bob-account' });
  });

  it('keys the same person by issuer and subject on the next login', async () => {
    const first = await signIn('alice@example.test', 'alice-password');
    const second = await signIn('alice@example.test', 'alice-password');

    expect(second.me.user).toEqual(first.me.user);
  });

  it('shows the reason of refuseLogin, escaped, with 403', async () => {
    decide.fn = () => {
      throw refuseLogin('Suspended <b>today</b> & "tomorrow"');
    };
    const { hop, me } = await signIn('alice@example.test', 'alice-password');

    expect(hop.response.status).toBe(403);
    expect(hop.body).toContain('LOGIN_REFUSED');
    expect(hop.body).toContain(
      'Suspended &lt;b&gt;today&lt;/b&gt; &amp; &quot;tomorrow&quot;',
    );
    expect(me.user).toBeNull();
  });

  it('answers 503 without details when resolveUser throws', async () => {
    decide.fn = () => {
      throw new Error('database password wrong at db.internal:5432');
    };
    const { hop, me } = await signIn('alice@example.test', 'alice-password');

    expect(hop.response.status).toBe(503);
    expect(hop.body).toContain('LOGIN_RESOLVE_FAILED');
    expect(hop.body).not.toContain('db.internal');
    expect(me.user).toBeNull();
  });
});
