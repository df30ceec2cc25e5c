// Lambda entry for compute: run one measure family, directly or as one shard / the reduce step of
// the fan-out state machine (cdk/constructs/shard-fanout.ts). Results are published to storage
// with lineage by the family; the local output folder is scratch and removed afterwards.
// PM3 (lib/measures/pm3/fanout.ts): { family: 'pm3', year, flags: { fanout: 'plan' } } writes the
// task manifest that starts the state machine; its items carry flags.shard and flags.run; the
// reduce gets only { family, mapResultsKey } and finds the run and year in the map results.

import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { getFamily } from '../lib/compute/families';
import { type Ctx, createContext } from '../lib/context';

const ComputeEvent = z.object({
  family: z.string().min(1),
  year: z.number().int().optional(),
  date: z.string().optional(),
  flags: z.record(z.string(), z.union([z.string(), z.boolean()])).optional(),
  /** Set by the fan-out's reduce step: the S3 key of the Distributed Map results manifest. */
  mapResultsKey: z.string().optional(),
});

let ctxPromise: Promise<Ctx> | undefined;
const context = () => (ctxPromise ??= createContext());

export async function handler(event: unknown) {
  const e = ComputeEvent.parse(event);
  const ctx = await context();
  const family = await getFamily(e.family);
  const out = join(ctx.config.scratchDir, 'out', randomUUID());
  await mkdir(out, { recursive: true });
  try {
    const flags = { ...(e.flags ?? {}), ...(e.mapResultsKey ? { 'map-results-key': e.mapResultsKey } : {}) };
    const result = await family.run(ctx, { year: e.year, date: e.date, out, flags });
    return { runId: result.runId, summary: result.summary };
  } finally {
    // Warm Lambdas keep /tmp: drop the run's files once they are published.
    await rm(out, { recursive: true, force: true });
  }
}
