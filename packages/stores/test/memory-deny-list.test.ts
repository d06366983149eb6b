import { createMemoryDenyList } from '../src/index.js';
import { denyListContract } from './helpers/contract.js';

describe('createMemoryDenyList', () => {
  denyListContract((clock) => createMemoryDenyList({ now: clock.now }));
});
