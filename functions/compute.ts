// Lambda entry for compute: run one measure family, directly or as one shard / the reduce step of
// the fan-out state machine (cdk/constructs/shard-fanout.ts). Results are published to storage
// with lineage by the family; the local output folder is scratch and removed afterwards.
// PM3 (lib/measures/pm3/fanout.ts): { family: 'pm3', year, flags: { fanout: 'plan' } } writes the
// task manifest that starts the state machine; its items carry flags.shard and flags.run; the
// reduce gets only { family, mapResultsKey } and finds the run and year in the map results.
// Staff work queued by the API on AWS arrives as the S3 Object Created event (via EventBridge) of
// its request record under requests/ (lib/api/staff-requests.ts, cdk/stacks/pipeline-stack.ts).

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

const RequestCreated = z.object({
  'detail-type': z.literal('Object Created'),
  detail: z.object({ object: z.object({ key: z.string().min(1) }) }),
});

type FamilyOutcome = { runId: string; summary: Record<string, unknown> };
type RequestOutcome = Awaited<ReturnType<typeof import('../lib/api/staff-requests-run').runQueuedRequest>>;

// Typed per event, so callers of the family path keep { runId, summary }.
export function handler(event: z.input<typeof ComputeEvent>): Promise<FamilyOutcome>;
export function handler(event: unknown): Promise<FamilyOutcome | RequestOutcome>;
export async function handler(event: unknown): Promise<FamilyOutcome | RequestOutcome> {
  const request = RequestCreated.safeParse(event);
  if (request.success) {
    const { runQueuedRequest } = await import('../lib/api/staff-requests-run');
    // Request keys are plain ASCII (staff-requests.ts), so S3's URL-encoding of keys changes nothing.
    return runQueuedRequest(await context(), request.data.detail.object.key);
  }
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
