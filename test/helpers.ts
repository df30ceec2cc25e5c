// A real local context for tests: a temp folder as the store, a temp scratch, in-memory DuckDB.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../lib/config';
import { type Ctx, silentLog } from '../lib/context';
import { createDb } from '../lib/engine/duckdb';
import { FsStorage } from '../lib/storage/fs-storage';

export interface TestCtx extends Ctx {
  root: string;
  cleanup(): void;
}

export function tempCtx(): TestCtx {
  const root = mkdtempSync(join(tmpdir(), 'corridor-test-'));
  const config = loadConfig(
    {},
    {
      dataDir: join(root, 'store'),
      scratchDir: join(root, 'scratch'),
      storage: 'fs',
      interactive: false,
      duckdb: { threads: 1 },
    },
  );
  return {
    root,
    config,
    storage: new FsStorage(config.dataDir),
    log: silentLog,
    progress: { update() {}, done() {} },
    clock: () => new Date(),
    db: () => createDb(config),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
