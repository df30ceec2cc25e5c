// One staff-started computation: run a compute family and audit-log the run with the dataset
// versions it read. Called inside the request locally (staff-compute.ts) and by the compute
// function for a queued request on AWS (staff-requests-run.ts), so both answer and audit alike.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { audit } from '../audit/audit-log';
import type { Principal } from '../auth/principal';
import { getFamily } from '../compute/families';
import type { Ctx } from '../context';

export type ComputeAnswer =
  | { code: 200; body: { family: string; run_id: string; summary: Record<string, unknown> } }
  | { code: 422; body: { error: 'compute_failed'; message: string } };

export async function runComputeAudited(
  ctx: Ctx,
  who: Pick<Principal, 'user' | 'role'>,
  o: { family: string; year?: number },
): Promise<ComputeAnswer> {
  const { family, year } = o;
  try {
    const f = await getFamily(family);
    await mkdir(ctx.config.scratchDir, { recursive: true });
    const out = await mkdtemp(join(ctx.config.scratchDir, `compute-${family}-`));
    try {
      const r = await f.run(ctx, { year, out, flags: {} });
      const { latestRun, runLineage } = await import('./results-data');
      const latest = await latestRun(ctx, family);
      const lin = latest ? await runLineage(ctx, family, latest) : null;
      await audit(ctx.storage, {
        user: who.user,
        role: who.role,
        action: 'compute',
        target: family,
        outcome: 'ok',
        versions: lin?.inputs.map((i) => `${i.dataset_id}@${i.version}`) ?? [],
        detail: { run_id: r.runId, year: year ?? null },
      });
      return { code: 200, body: { family, run_id: r.runId, summary: r.summary } };
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  } catch (e) {
    ctx.log.error(`compute ${family}: ${e instanceof Error ? e.stack : String(e)}`);
    const message = e instanceof Error ? e.message.split('\n')[0]!.slice(0, 300) : 'failed';
    await audit(ctx.storage, {
      user: who.user,
      role: who.role,
      action: 'compute',
      target: family,
      outcome: 'failed',
      detail: { error: message },
    });
    return { code: 422, body: { error: 'compute_failed', message } };
  }
}
