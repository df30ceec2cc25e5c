// Staff-started computations: run one compute family now (staff-compute-run.ts), or on AWS queue
// it for the compute function and answer 202 with a status URL (staff-requests.ts).
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { families } from '../compute/families';
import type { Ctx } from '../context';
import { type Env, requireRole } from './security';
import { runComputeAudited } from './staff-compute-run';
import { queueRequest } from './staff-requests';
import { staffRequestRoutes } from './staff-requests-pages';

export function staffComputeRoutes(app: OpenAPIHono<Env>, ctx: Ctx) {
  const ComputeBody = z.object({
    family: z.string().regex(/^[a-z][a-z0-9_]*$/),
    year: z.number().int().min(1990).max(2100).optional(),
  });
  const compute = async (c: Context<Env>, body: unknown, page: boolean) => {
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
    if (ctx.config.onLambda) {
      // A family can run for minutes, past API Gateway's 29 s, and writes results/, which the API
      // function may not: the compute function runs it.
      const q = await queueRequest(ctx, p, 'compute', { family, year: year ?? null });
      return page ? c.redirect(q.page_url, 303) : c.json(q, 202);
    }
    const r = await runComputeAudited(ctx, p, { family, year });
    return c.json(r.body, r.code);
  };
  app.post('/api/v1/staff/compute', requireRole('analyst'), bodyLimit({ maxSize: 16 * 1024 }), async (c) =>
    compute(c, await c.req.json().catch(() => null), false),
  );
  app.post('/staff/compute', requireRole('analyst'), bodyLimit({ maxSize: 16 * 1024 }), async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    return compute(c, { family: form.family, ...(form.year ? { year: Number(form.year) } : {}) }, true);
  });
  // The status of queued staff work (computations and BCA runs alike) is followed here.
  staffRequestRoutes(app, ctx);
}
