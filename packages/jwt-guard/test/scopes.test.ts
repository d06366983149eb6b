import { parseScopes } from '../src/scopes.js';

describe('parseScopes', () => {
  it.each([
    ['read write', ['read', 'write']],
    ['read', ['read']],
    ['  read   write ', ['read', 'write']],
    ['read read write', ['read', 'write']],
    ['', []],
    [undefined, []],
    [42, []],
    [['read', 'write'], []],
  ])('reads %j as %j', (claim, scopes) => {
    expect(parseScopes(claim)).toEqual(scopes);
  });

  it('returns a frozen list', () => {
    expect(Object.isFrozen(parseScopes('read'))).toBe(true);
  });
});
