// A throwaway catalog in a temp folder and a quiet context, for PM3 tests.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, silentLog } from '../../lib/context';

export async function tempContext() {
  const dir = mkdtempSync(join(tmpdir(), 'corridor-pm3-'));
  const ctx = await createContext(
    { dataDir: join(dir, 'store'), scratchDir: join(dir, 'scratch'), duckdb: { threads: 2 } },
    silentLog,
  );
  return { ctx, dir };
}
