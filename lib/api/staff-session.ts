// Staff sign-in and out with the local account (password form → session cookie), the guard that
// keeps every other /staff page behind a role, and the staff home page. Registered before the
// other staff-*.ts files: Hono runs middleware in registration order, so the guard must come first.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, setCookie } from 'hono/cookie';
import { audit } from '../audit/audit-log';
import type { Authenticator } from '../auth/authenticator';
import { SESSION_COOKIE, SESSION_TTL_S } from '../auth/sessions';
import type { Ctx } from '../context';
import { datasetTypes } from '../datasets/registry';
import { listFamilies } from '../portal/measure-data';
import { dashboardPage, signInPage } from '../portal/staff-pages';
import { viewerIsHttps } from './public-origin';
import { clientAddress, type Env, requireRole } from './security';

/** The staff paths anyone may reach: signing in (and its Cognito callback) and out. */
const OPEN_PATHS = new Set(['/staff/login', '/staff/logout', '/staff/auth/start', '/staff/auth/callback']);

export function staffSessionRoutes(app: OpenAPIHono<Env>, ctx: Ctx, o: { auth: Authenticator }) {
  // With a hosted sign-in (Cognito) staff-cognito-login.ts signs staff in and out instead.
  if (!o.auth.hosted) localSignIn();
  function localSignIn() {
    app.get('/staff/login', (c) =>
      c.html(
        signInPage({ enabled: o.auth.enabled, notice: o.auth.notice, next: safeNext(c.req.query('next')) }),
      ),
    );
    app.post(
      '/staff/login',
      bodyLimit({
        maxSize: 16 * 1024,
        onError: (c) => c.json({ error: 'too_large', message: 'request too large' }, 413),
      }),
      async (c) => {
        const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
        const user = typeof form.user === 'string' ? form.user : '';
        const password = typeof form.password === 'string' ? form.password : '';
        const p =
          o.auth.enabled && o.auth.signIn && user && password ? await o.auth.signIn(user, password) : null;
        await audit(ctx.storage, {
          user: user.slice(0, 100) || '(none)',
          role: p?.role ?? '-',
          action: p ? 'sign_in' : 'sign_in_failed',
          outcome: p ? 'ok' : 'refused',
          ip: clientAddress(c),
        });
        if (!p || !o.auth.issueSession) {
          return c.html(
            signInPage({
              enabled: o.auth.enabled,
              notice: o.auth.notice,
              error: 'Wrong user name or password.',
            }),
            401,
          );
        }
        setCookie(c, SESSION_COOKIE, o.auth.issueSession(p), {
          httpOnly: true,
          sameSite: 'Strict',
          path: '/',
          maxAge: SESSION_TTL_S,
          secure: viewerIsHttps(c),
        });
        return c.redirect(safeNext(typeof form.next === 'string' ? form.next : undefined), 303);
      },
    );
    app.post('/staff/logout', (c) => {
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.redirect('/', 303);
    });
  }

  app.use('/staff', requireRole('viewer'));
  app.use('/staff/*', async (c, next) =>
    OPEN_PATHS.has(c.req.path) ? next() : requireRole('viewer')(c, next),
  );
  app.use('/api/v1/staff/*', requireRole('viewer'));

  app.get('/staff', async (c) =>
    c.html(
      dashboardPage({
        who: c.get('principal')!,
        mfaSetup: Boolean(o.auth.hosted?.totp),
        datasetTypes: Object.keys(datasetTypes),
        families: await listFamilies(ctx),
        bcaEditions: await import('../bca/params')
          .then((m) => m.loadParameters().editions.map((e) => ({ id: e.id, title: e.title })))
          .catch(() => []),
      }),
    ),
  );
  app.get('/api/v1/staff/me', (c) => c.json(c.get('principal')!));
}

/** Only same-site paths after sign-in (no open redirect). */
export function safeNext(next: string | undefined) {
  return next && /^\/[A-Za-z0-9/_.-]*$/.test(next) && !next.startsWith('//') ? next : '/staff';
}
