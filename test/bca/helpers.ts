// A context over a temporary folder store, for tests that publish results.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, silentLog } from '../../lib/context';

export async function tempCtx() {
  const dir = await mkdtemp(join(tmpdir(), 'corridor-bca-'));
  const ctx = await createContext(
    { dataDir: join(dir, 'store'), scratchDir: join(dir, 'scratch'), storage: 'fs' },
    silentLog,
  );
  // a fixed clock keeps run ids and report dates reproducible
  return { dir, ctx: { ...ctx, clock: () => new Date('2026-11-01T12:00:00Z') } };
}
