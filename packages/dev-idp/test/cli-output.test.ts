import { formatStartup, READY_PREFIX } from '../src/cli-output.js';
import { DEFAULT_TEST_USERS } from '../src/test-users.js';

const info = {
  issuer: 'http://127.0.0.1:4000',
  clientId: 'portcullis-demo',
  redirectUris: ['http://127.0.0.1:3000/callback'],
  users: DEFAULT_TEST_USERS,
};

describe('formatStartup', () => {
  it('ends with one machine-readable ready line', () => {
    const lines = formatStartup(info).split('\n');

    expect(lines.at(-1)).toBe('');
    expect(lines.at(-2)).toBe(
      `${READY_PREFIX} {"issuer":"http://127.0.0.1:4000"}`,
    );
    expect(lines.filter((line) => line.startsWith(READY_PREFIX))).toHaveLength(
      1,
    );
  });

  it('lists the issuer and every test user with the password', () => {
    const text = formatStartup(info);

    expect(text).toContain('Issuer:        http://127.0.0.1:4000');
    for (const user of DEFAULT_TEST_USERS) {
      expect(text).toMatch(
        new RegExp(`${user.email} +${user.password} +${user.name}`),
      );
    }
  });

  it('never prints a client secret', () => {
    expect(formatStartup(info)).not.toMatch(/secret/i);
  });
});
