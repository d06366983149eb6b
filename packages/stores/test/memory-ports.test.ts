import {
  createMemoryAttemptCounter,
  createMemoryKeyStore,
  createMemoryRefreshTokenStore,
  createMemoryReplayCache,
} from '../src/index.js';
import {
  attemptCounterContract,
  keyStoreContract,
  refreshTokenStoreContract,
  replayCacheContract,
} from './helpers/contract.js';

describe('createMemoryReplayCache', () => {
  replayCacheContract((clock) => createMemoryReplayCache({ now: clock.now }));
});

describe('createMemoryAttemptCounter', () => {
  attemptCounterContract((clock) =>
    createMemoryAttemptCounter({ now: clock.now }),
  );
});

describe('createMemoryRefreshTokenStore', () => {
  refreshTokenStoreContract((clock) =>
    createMemoryRefreshTokenStore({ now: clock.now }),
  );
});

describe('createMemoryKeyStore', () => {
  keyStoreContract(() => createMemoryKeyStore());
});
