// Browser sign-in and out through Cognito's managed login (lib/auth/cognito-login.ts does the
// protocol): /staff/login sends the browser to Cognito, /staff/auth/callback comes back with a
// code and ends with the session cookie, /staff/logout clears it and ends Cognito's session too.
// The session is short (COGNITO_SESSION_TTL_S); staffSessionRenewal renews it from the refresh
// cookie the callback also sets, so Cognito is asked again every 15 minutes per signed-in user.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { audit } from '../audit/audit-log';
import type { Authenticator } from '../auth/authenticator';
import {
  type HostedLogin,
  LOGIN_STATE_COOKIE,
  LOGIN_STATE_TTL_S,
  type RenewResult,
} from '../auth/cognito-login';
import { COGNITO_SESSION_TTL_S, REFRESH_TTL_S, SESSION_COOKIE } from '../auth/sessions';
import type { Ctx } from '../context';
import { page } from '../portal/layout';
import { viewerIsHttps, viewerOrigin } from './public-origin';
import { clientAddress, type Env } from './security';
import { safeNext } from './staff-session';

export const CALLBACK_PATH = '/staff/auth/callback';
export const START_PATH = '/staff/auth/start';
export const MFA_PATH = '/staff/mfa';
export const MFA_SETUP_COOKIE = 'corridor_mfa_setup';
export const REFRESH_COOKIE = 'corridor_refresh';
/**
 * Where the refresh cookie is sent: the staff pages and the staff API, the only paths that need a
 * staff principal, so the 2–3 kB value travels with no public page or download. One cookie per
 * path (a cookie has one Path); a request matches at most one of them.
 */
export const REFRESH_PATHS = ['/staff', '/api/v1/staff'] as const;
/** Sign-in and out need no renewed session: they make or end one. */
const NO_RENEWAL = new Set(['/staff/logout', CALLBACK_PATH, START_PATH]);

const clearRefresh = (c: Context<Env>) => {
  for (const path of REFRESH_PATHS) deleteCookie(c, REFRESH_COOKIE, { path, secure: viewerIsHttps(c) });
};

/**
 * Renews a lapsed Cognito session from the refresh cookie, before any route looks at the principal
 * (app.ts mounts it right after identify). Cognito's answer decides: new tokens give a new session
 * with the role their `cognito:groups` give now; a refusal (revoked token, disabled user, no staff
 * group left) clears both cookies, is audit-logged, and the request goes on signed out, so pages
 * redirect to /staff/login and the API answers 401 (security.ts requireRole).
 *
 * Concurrency: the refresh token is reusable (the pool has no refresh-token rotation), so parallel
 * requests with a lapsed session may each renew and each get a valid session; nothing to race.
 * Within one instance they share one token request (the `pending` map) so a page's burst of
 * requests costs Cognito one call.
 */
export function staffSessionRenewal(ctx: Ctx, auth: Authenticator): MiddlewareHandler<Env> {
  const hosted = auth.hosted;
  const pending = new Map<string, Promise<RenewResult>>();
  const renew = (refresh: string, ip: string) => {
    let p = pending.get(refresh);
    if (!p) {
      p = hosted!.renew!(refresh)
        .then(async (r) => {
          if (!r.ok && r.user)
            await audit(ctx.storage, {
              user: r.user,
              role: '-',
              action: 'session_refresh',
              outcome: r.signOut ? 'refused' : 'failed',
              detail: { reason: r.reason },
              ip,
            });
          if (!r.ok && !r.signOut) ctx.log.warn(`staff session renewal: ${r.reason}`);
          return r;
        })
        .finally(() => pending.delete(refresh));
      pending.set(refresh, p);
    }
    return p;
  };
  return async (c, next) => {
    if (!hosted?.renew || !auth.issueSession || c.get('principal') || NO_RENEWAL.has(c.req.path))
      return next();
    // A request that sent a token is answered on that token alone.
    if (c.req.header('authorization')) return next();
    const refresh = getCookie(c, REFRESH_COOKIE);
    if (!refresh) return next();
    const r = await renew(refresh, clientAddress(c));
    if (r.ok) {
      c.set('principal', r.principal);
      setSession(c, auth.issueSession(r.principal));
    } else if (r.signOut) {
      clearRefresh(c);
      deleteCookie(c, SESSION_COOKIE, { path: '/', secure: viewerIsHttps(c) });
    }
    return next();
  };
}

// Lax, not Strict: the callback's response and the redirect after it are still part of the
// navigation Cognito started. Cross-site writes stay refused by the origin check in requireRole
// (lib/api/security.ts), which applies to every session principal.
const setSession = (c: Context<Env>, value: string) =>
  setCookie(c, SESSION_COOKIE, value, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    maxAge: COGNITO_SESSION_TTL_S,
    secure: viewerIsHttps(c),
  });

export function staffCognitoLoginRoutes(
  app: OpenAPIHono<Env>,
  ctx: Ctx,
  o: { auth: Authenticator; hosted: HostedLogin },
) {
  const { hosted } = o;
  const secure = viewerIsHttps;
  // Cognito returns only to registered callbacks: the configured one (the API's own URL on AWS)
  // and the portal's public origins, which the CDK app registers with the user pool client and
  // passes as CORRIDOR_PUBLIC_ORIGINS (cdk/stacks/api-stack.ts).
  const publicOrigins = ctx.config.viewer.publicOrigins;
  const registered = (origin: string) =>
    !hosted.redirectUri || new URL(hosted.redirectUri).origin === origin || publicOrigins.includes(origin);
  // The callback on the host the browser is on when that one is registered, else the configured one.
  const redirectUri = (c: Context<Env>) => {
    const here = viewerOrigin(c);
    return registered(here) ? `${here}${CALLBACK_PATH}` : hosted.redirectUri!;
  };

  // On a host Cognito would not return to (the distribution's *.cloudfront.net name, which the
  // API stack cannot register without a dependency cycle), start on the configured callback's
  // origin instead: the state cookie must be set on the host the callback returns to, and the
  // staff pages then stay there.
  const startElsewhere = (c: Context<Env>, next: string) =>
    registered(viewerOrigin(c))
      ? undefined
      : c.redirect(
          `${new URL(hosted.redirectUri!).origin}${START_PATH}?next=${encodeURIComponent(next)}`,
          302,
        );

  app.get('/staff/login', (c) => {
    const next = safeNext(c.req.query('next'));
    if (c.get('principal')) return c.redirect(next, 303);
    return startElsewhere(c, next) ?? start(c, next);
  });
  // ?mfa=1: the same sign-in, asking also for the scope of Cognito's user API (staff-mfa-setup.ts).
  // It starts wherever it is asked, never moving on: /staff/login sends browsers here from hosts
  // Cognito does not know, so moving again could loop when a proxy does not forward the host.
  app.get(START_PATH, (c) => start(c, safeNext(c.req.query('next')), c.req.query('mfa') === '1'));

  const start = (c: Context<Env>, next: string, mfaSetup = false) => {
    const { url, cookie } = hosted.start({ redirectUri: redirectUri(c), next, mfaSetup });
    // Lax, not Strict: the browser must send it on the top-level redirect back from Cognito's
    // domain. Scoped to the callback path, which is the only reader.
    setCookie(c, LOGIN_STATE_COOKIE, cookie, {
      httpOnly: true,
      sameSite: 'Lax',
      path: CALLBACK_PATH,
      maxAge: LOGIN_STATE_TTL_S,
      secure: secure(c),
    });
    c.header('cache-control', 'no-store');
    return c.redirect(url, 302);
  };

  app.get(CALLBACK_PATH, async (c) => {
    const cookie = getCookie(c, LOGIN_STATE_COOKIE);
    // One use per sign-in: a reloaded or replayed callback finds no state and starts again.
    deleteCookie(c, LOGIN_STATE_COOKIE, { path: CALLBACK_PATH, secure: secure(c) });
    c.header('cache-control', 'no-store');
    const r = await hosted.finish({ query: c.req.query(), cookie, redirectUri: redirectUri(c) });
    await audit(ctx.storage, {
      user: r.ok ? r.principal.user : '(cognito)',
      role: r.ok ? r.principal.role : '-',
      action: r.ok ? 'sign_in' : 'sign_in_failed',
      outcome: r.ok ? 'ok' : 'refused',
      ...(r.ok ? {} : { detail: { reason: r.reason } }),
      ip: clientAddress(c),
    });
    if (!r.ok)
      return c.html(
        page(
          { title: 'Sign-in failed' },
          html`<h1>Sign-in failed</h1><p class="issue-error" role="alert">${r.reason}</p><p><a href="/staff/login">Sign in again</a></p>`,
        ),
        r.status,
      );
    setSession(c, o.auth.issueSession!(r.principal));
    // The refresh token, encrypted: scripts cannot read it (HttpOnly) and the browser cannot
    // either (AES-GCM under the server's key). Lax like the session cookie, for the same reason.
    if (r.refresh)
      for (const path of REFRESH_PATHS)
        setCookie(c, REFRESH_COOKIE, r.refresh, {
          httpOnly: true,
          sameSite: 'Lax',
          path,
          maxAge: REFRESH_TTL_S,
          secure: secure(c),
        });
    if (r.mfaSetup && hosted.totp) {
      // The set-up pages need the access token for two calls within minutes; it is the user's own,
      // kept in their browser only, unreadable by scripts and sent only to those pages.
      setCookie(c, MFA_SETUP_COOKIE, r.accessToken, {
        httpOnly: true,
        sameSite: 'Lax',
        path: MFA_PATH,
        maxAge: LOGIN_STATE_TTL_S,
        secure: secure(c),
      });
      return c.redirect(`${MFA_PATH}/setup`, 303);
    }
    return c.redirect(safeNext(r.next), 303);
  });

  app.post('/staff/logout', async (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: secure(c) });
    // Revoked before the browser leaves for Cognito's /logout: that ends Cognito's own session
    // but leaves refresh tokens valid, and a copy of this cookie must not renew anything.
    const refresh = getCookie(c, REFRESH_COOKIE);
    if (refresh) {
      clearRefresh(c);
      if (hosted.revoke && !(await hosted.revoke(refresh)))
        ctx.log.warn('staff sign-out: the refresh token could not be revoked at the identity provider');
    }
    // Back to the portal's home when signing out there (its sign-out URL is registered with it).
    const here = viewerOrigin(c);
    const back = publicOrigins.includes(here)
      ? `${here}/`
      : (hosted.logoutUri ?? `${new URL(redirectUri(c)).origin}/`);
    const url = hosted.logoutUrl(back);
    // A page that moves on by itself rather than a redirect: the portal's CSP (form-action 'self')
    // would stop a form submission from being redirected to Cognito's domain.
    c.header('refresh', `0; url=${url}`);
    c.header('cache-control', 'no-store');
    return c.html(
      page(
        { title: 'Signed out' },
        html`<h1>Signed out</h1><p>You are signed out of Corridor. <a href="${url}">Finish signing out of your organisation’s account</a>.</p>`,
      ),
    );
  });
}
