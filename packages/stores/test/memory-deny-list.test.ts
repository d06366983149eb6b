import { createMemoryDenyList } from '../src/index.js';
import {
  denyListContract,
  denyListPropagationContract,
} from './helpers/contract.js';

describe('createMemoryDenyList', () => {
  denyListContract((clock) => createMemoryDenyList({ now: clock.now }));

  describe('subscribe', () => {
    denyListPropagationContract(async () => {
      const list = createMemoryDenyList();
      return [list, list];
    });
  });
});
