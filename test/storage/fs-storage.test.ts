import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsStorage } from '../../lib/storage/fs-storage';
import { storageContract } from './storage-contract';

storageContract('fs', async () => {
  const root = await mkdtemp(join(tmpdir(), 'corridor-fs-storage-'));
  return { storage: new FsStorage(root), cleanup: () => rm(root, { recursive: true, force: true }) };
});
