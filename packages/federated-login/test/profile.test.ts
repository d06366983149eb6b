import { toFederatedProfile } from '../src/profile.js';

const base = { iss: 'https://idp.example', sub: '248289761001' };

describe('toFederatedProfile', () => {
  it.each<[unknown, boolean]>([
    [true, true],
    ['true', true],
    [false, false],
    ['false', false],
    ['yes', false],
    [1, false],
    [undefined, false],
  ])('treats email_verified %p as verified=%p', (value, expected) => {
    const profile = toFederatedProfile('dev', {
      ...base,
      email: 'a@example.test',
      email_verified: value,
    });

    expect(profile.emailVerified).toBe(expected);
  });

  it('keys the user by issuer and subject', () => {
    const profile = toFederatedProfile('dev', { ...base, name: 'Alice' });

    expect(profile).toMatchObject({
      provider: 'dev',
      issuer: 'https://idp.example',
      subject: '248289761001',
      name: 'Alice',
    });
    expect(profile.email).toBeUndefined();
  });
});
