// The app is a value (STYLE.md §5): createApp(deps) returns a plain Hono app; bin/ serves it on
// Node and functions/api.ts wraps it for Lambda. Public routes are read-only (portal pages, the
// versioned API, downloads, data.json, CKAN shim); staff routes sit behind the Authenticator.
import { OpenAPIHono } from '@hono/zod-openapi';
import { cors } from 'hono/cors';
import { html } from 'hono/html';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { Authenticator } from '../auth/authenticator';
import { isLoopback, localAuthenticator } from '../auth/local-auth';
import type { Ctx } from '../context';
import { page } from '../portal/layout';
import { MeasureNotFound } from '../portal/measure-page';
import { datasetRoutes } from './datasets';
import { DEFAULT_SITE, type SiteInfo } from './open-data';
import { viewerOriginMiddleware } from './public-origin';
import { publicRoutes } from './public-routes';
import { resultRoutes } from './results';
import { clientAddress, type Env, identify, rateLimit } from './security';
import { staffRoutes } from './staff';
import { staffBcaRoutes } from './staff-bca';
import { staffSessionRenewal } from './staff-cognito-login';
import { directUploadCsp, staffDirectUploadRoutes } from './staff-direct-upload';
import { documentStaffRoutes } from './staff-docs';
import { BadRequest, NotFound } from './table-data';
import { v1Routes } from './v1';

export interface AppDeps {
  ctx: Ctx;
  /** Identity provider; default: the local account from the configuration (lib/auth). */
  auth?: Authenticator;
  /** Offer the demo staff account. Honoured only when `host` is a loopback address. */
  demoAccount?: boolean;
  /** The address the server binds to (bin/commands/serve.ts passes it). */
  host?: string;
  limits?: { uploadBytes?: number; ratePerMinute?: number };
  site?: SiteInfo;
}

export const DEFAULT_UPLOAD_BYTES = 512 * 1024 * 1024;

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

export function createApp(deps: AppDeps) {
  const { ctx } = deps;
  const auth =
    deps.auth ??
    localAuthenticator({
      auth: ctx.config.auth ?? {},
      demoAccount: Boolean(deps.demoAccount) && isLoopback(deps.host),
    });
  const site = deps.site ?? DEFAULT_SITE;
  const app = new OpenAPIHono<Env>({
    defaultHook: (result, c) => {
      if (!result.success)
        return c.json(
          {
            error: 'bad_request',
            message: result.error.issues
              .map((i) => `${i.path.join('.') || 'request'}: ${i.message}`)
              .join('; '),
          },
          400,
        );
    },
  });
  app.use('*', secureHeaders({ contentSecurityPolicy: undefined }), async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CSP + (await directUploadCsp(ctx)));
  });
  app.use('*', rateLimit(deps.limits?.ratePerMinute ?? (ctx.config.onLambda ? 0 : 1200)));
  const readOnlyCors = cors({
    origin: '*',
    allowMethods: ['GET', 'HEAD', 'OPTIONS'],
    exposeHeaders: ['ETag', 'Content-Disposition'],
  });
  for (const p of [
    '/api/v1/datasets/*',
    '/api/v1/datasets',
    '/api/v1/measures/*',
    '/api/v1/measures',
    '/api/v1/queries/*',
    '/api/datasets/*',
    '/api/results/*',
    '/api/3/*',
    '/download/*',
    '/results/*',
    '/data.json',
    '/openapi.json',
  ])
    app.use(p, readOnlyCors);
  // The renewal of a lapsed Cognito session must come before any route reads the principal.
  app.use('*', viewerOriginMiddleware(ctx.config.viewer), identify(auth), staffSessionRenewal(ctx, auth));

  v1Routes(app as unknown as OpenAPIHono, ctx);
  app.route('/api/datasets', datasetRoutes({ ctx }));
  app.route('/api/results', resultRoutes({ ctx }));
  // The unversioned measure path (e.g. /api/measures/pm3?year=2024) points at the current version.
  app.get('/api/measures/:family', (c) => {
    const family = c.req.param('family');
    if (!/^[a-z][a-z0-9_]*$/.test(family)) throw new HTTPException(400, { message: 'invalid family' });
    const query = new URL(c.req.url).search;
    return c.redirect(`/api/v1/measures/${family}${query}`, 307);
  });
  publicRoutes(app, ctx, site);
  documentStaffRoutes(app as unknown as OpenAPIHono);
  staffBcaRoutes(app, ctx, { uploadBytes: deps.limits?.uploadBytes ?? DEFAULT_UPLOAD_BYTES });
  staffDirectUploadRoutes(app, ctx);
  staffRoutes(app, ctx, {
    auth,
    uploadBytes: deps.limits?.uploadBytes ?? DEFAULT_UPLOAD_BYTES,
    region: site.publisher,
  });

  app.notFound((c) => {
    if ((c.req.header('accept') ?? '').includes('text/html'))
      return c.html(
        page(
          { title: 'Not found' },
          html`<h1>Not found</h1><p>There is no page at <code>${c.req.path}</code>. Try the <a href="/datasets">dataset catalog</a>.</p>`,
        ),
        404,
      );
    return c.json({ error: 'not_found', message: `no route ${c.req.method} ${c.req.path}` }, 404);
  });
  app.onError((err, c) => {
    const htmlWanted =
      (c.req.header('accept') ?? '').includes('text/html') && !c.req.path.startsWith('/api/');
    const answer = (status: 400 | 404 | 413 | 500, error: string, message: string, ref?: string) =>
      htmlWanted
        ? c.html(
            page(
              { title: message },
              html`<h1>${status === 404 ? 'Not found' : status === 500 ? 'Something went wrong' : 'Bad request'}</h1><p>${message}</p>${ref ? html`<p class="muted">Reference ${ref}</p>` : ''}`,
            ),
            status,
          )
        : c.json({ error, message, ...(ref ? { ref } : {}) }, status);
    if (err instanceof NotFound || err instanceof MeasureNotFound)
      return answer(404, 'not_found', err.message);
    if (err instanceof BadRequest) return answer(400, 'bad_request', err.message);
    if (err instanceof HTTPException) {
      const s = err.status === 413 ? 413 : err.status === 404 ? 404 : 400;
      return answer(s, s === 413 ? 'too_large' : 'bad_request', err.message || 'bad request');
    }
    // Never leak stack traces: log them, answer with a reference.
    const ref = Math.random().toString(36).slice(2, 10);
    ctx.log.error(
      `[${ref}] ${c.req.method} ${c.req.path} from ${clientAddress(c)}: ${err.stack ?? err.message}`,
    );
    return answer(500, 'internal_error', 'something went wrong on our side', ref);
  });
  return app;
}
