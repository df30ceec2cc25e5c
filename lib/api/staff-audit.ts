// The audit log for administrators: as JSON and as a page.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { recentAudit } from '../audit/audit-log';
import type { Ctx } from '../context';
import { auditPage } from '../portal/staff-pages';
import { type Env, requireRole } from './security';

export function staffAuditRoutes(app: OpenAPIHono<Env>, ctx: Ctx) {
  app.get('/api/v1/staff/audit', requireRole('admin'), async (c) => {
    const limitN = Math.min(1000, Math.max(1, Number(c.req.query('limit') ?? 100) || 100));
    return c.json({ events: await recentAudit(ctx.storage, limitN) });
  });
  app.get('/staff/audit', requireRole('admin'), async (c) =>
    c.html(auditPage(c.get('principal')!, await recentAudit(ctx.storage, 200))),
  );
}
