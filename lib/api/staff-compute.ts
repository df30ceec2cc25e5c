// Staff-started computations: run one compute family now and audit-log the run with the dataset
// versions it read.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { audit } from '../audit/audit-log';
import { families, getFamily } from '../compute/families';
import type { Ctx } from '../context';
import { type Env, requireRole } from './security';

export function staffComputeRoutes(app: OpenAPIHono<Env>, ctx: Ctx) {
  const ComputeBody = z.object({
    family: z.string().regex(/^[a-z][a-z0-9_]*$/),
    year: z.number().int().min(1990).max(2100).optional(),
  });
  const compute = async (c: Context<Env>, body: unknown) => {
    const p = c.get('principal')!;
    const parsed = ComputeBody.safeParse(body);
    if (!parsed.success || !families[parsed.data.family])
      return c.json(
        {
          error: 'bad_request',
          message: `give {"family": one of ${Object.keys(families).join(', ')}, "year"?: number}`,
        },
        400,
      );
    const { family, year } = parsed.data;
    try {
      const f = await getFamily(family);
      const { mkdtemp, rm } = await import('node:fs/promises');
      const { join } = await import('node:path');
      const out = await mkdtemp(join(ctx.config.scratchDir, `compute-${family}-`));
      try {
        const r = await f.run(ctx, { year, out, flags: {} });
        const lineage = await import('./results-data').then((m) => m.latestRun(ctx, family));
        const lin = lineage
          ? await import('./results-data').then((m) => m.runLineage(ctx, family, lineage))
          : null;
        await audit(ctx.storage, {
          user: p.user,
          role: p.role,
          action: 'compute',
          target: family,
          outcome: 'ok',
          versions: lin?.inputs.map((i) => `${i.dataset_id}@${i.version}`) ?? [],
          detail: { run_id: r.runId, year: year ?? null },
        });
        return c.json({ family, run_id: r.runId, summary: r.summary }, 200);
      } finally {
        await rm(out, { recursive: true, force: true });
      }
    } catch (e) {
      ctx.log.error(`compute ${family}: ${e instanceof Error ? e.stack : String(e)}`);
      const message = e instanceof Error ? e.message.split('\n')[0]!.slice(0, 300) : 'failed';
      await audit(ctx.storage, {
        user: p.user,
        role: p.role,
        action: 'compute',
        target: family,
        outcome: 'failed',
        detail: { error: message },
      });
      return c.json({ error: 'compute_failed', message }, 422);
    }
  };
  app.post('/api/v1/staff/compute', requireRole('analyst'), bodyLimit({ maxSize: 16 * 1024 }), async (c) =>
    compute(c, await c.req.json().catch(() => null)),
  );
  app.post('/staff/compute', requireRole('analyst'), bodyLimit({ maxSize: 16 * 1024 }), async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    return compute(c, { family: form.family, ...(form.year ? { year: Number(form.year) } : {}) });
  });
}
