import { createMemoryKeyStore } from '@portcullis/stores';

import { sharedRingSuite } from './helpers/shared-ring.js';

describe('two instances sharing a memory KeyStore', () => {
  sharedRingSuite(async () => createMemoryKeyStore());
});
