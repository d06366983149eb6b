import { createCredentialChecker } from '../src/credentials.js';
import { DEFAULT_TEST_USERS } from '../src/test-users.js';

const check = createCredentialChecker(DEFAULT_TEST_USERS);

describe('createCredentialChecker', () => {
  it('finds the user whose email and password match', () => {
    expect(check('alice@example.test', 'alice-password')?.sub).toBe(
      'user-alice',
    );
    expect(check('bob@example.test', 'bob-password')?.sub).toBe('user-bob');
  });

  it('compares the email without regard to case or outer spaces', () => {
    expect(check('  Alice@Example.TEST ', 'alice-password')?.sub).toBe(
      'user-alice',
    );
  });

  it.each([
    ['a wrong password', 'alice@example.test', 'bob-password'],
    ['a password in another case', 'alice@example.test', 'ALICE-PASSWORD'],
    ['an unknown email', 'eve@example.test', 'alice-password'],
    ['empty fields', '', ''],
  ])('finds nobody for %s', (_name, email, password) => {
    expect(check(email, password)).toBeUndefined();
  });

  it('finds nobody when there are no users', () => {
    expect(createCredentialChecker([])('a@b.test', 'x')).toBeUndefined();
  });
});
