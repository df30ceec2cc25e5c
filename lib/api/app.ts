// The app is a value (STYLE.md §5): createApp(deps) returns a plain Hono app; bin/ serves it on
// Node and functions/api.ts wraps it for Lambda. Routes here are read-only and public.
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { Ctx } from '../context';
import { datasetRoutes } from './datasets';
import { landingPage } from './landing';
import { resultRoutes } from './results';

export interface AppDeps {
  ctx: Ctx;
}

export function createApp(deps: AppDeps) {
  const app = new Hono();
  app.use('*', secureHeaders());
  app.use('/api/*', cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'] }));
  app.get('/healthz', (c) => c.json({ ok: true, storage: deps.ctx.storage.kind }));
  app.route('/api/datasets', datasetRoutes(deps));
  app.route('/api/results', resultRoutes(deps));
  app.get('/', async (c) => c.html(await landingPage(deps)));
  app.notFound((c) => c.json({ error: 'not_found', message: `no route ${c.req.method} ${c.req.path}` }, 404));
  app.onError((err, c) => {
    if (err instanceof HTTPException)
      return c.json({ error: 'bad_request', message: err.message }, err.status);
    // Never leak stack traces: log them, answer with a reference.
    const ref = Math.random().toString(36).slice(2, 10);
    deps.ctx.log.error(`[${ref}] ${c.req.method} ${c.req.path}: ${err.stack ?? err.message}`);
    return c.json({ error: 'internal_error', message: 'something went wrong on our side', ref }, 500);
  });
  return app;
}
