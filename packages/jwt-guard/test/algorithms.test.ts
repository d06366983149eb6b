import {
  ASYMMETRIC_ALGORITHMS,
  isAsymmetricAlgorithm,
} from '../src/algorithms.js';

describe('isAsymmetricAlgorithm', () => {
  it.each(ASYMMETRIC_ALGORITHMS.map((alg) => [alg]))('accepts %s', (alg) => {
    expect(isAsymmetricAlgorithm(alg)).toBe(true);
  });

  it.each([['none'], ['HS256'], ['HS384'], ['HS512'], ['es256'], [''], [256]])(
    'refuses %j',
    (alg) => {
      expect(isAsymmetricAlgorithm(alg)).toBe(false);
    },
  );

  it('keeps the list frozen', () => {
    expect(Object.isFrozen(ASYMMETRIC_ALGORITHMS)).toBe(true);
  });
});
