import { createMemorySessionStore } from '../src/index.js';
import { sessionStoreContract } from './helpers/contract.js';

describe('createMemorySessionStore', () => {
  sessionStoreContract((clock) => createMemorySessionStore({ now: clock.now }));
});
