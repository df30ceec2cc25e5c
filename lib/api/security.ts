// Request-level protections: who is asking (session cookie or Bearer token through the
// Authenticator), role checks, same-origin checks for cookie-authenticated writes, and a small
// per-client rate limit for local mode (in AWS, API Gateway throttles instead).
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Authenticator } from '../auth/authenticator';
import { hasRole, type Principal, type Role } from '../auth/principal';
import { SESSION_COOKIE } from '../auth/sessions';
import { viewerOrigin } from './public-origin';

export type Env = {
  Variables: {
    principal: Principal | null;
    /** The origin the browser is on (public-origin.ts); unset only where its middleware is not mounted. */
    viewerOrigin?: string;
  };
};

export function clientAddress(c: Context) {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'local';
}

export function identify(auth: Authenticator): MiddlewareHandler<Env> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const session = getCookie(c, SESSION_COOKIE);
    c.set('principal', bearer || session ? await auth.authenticate({ bearer, session }) : null);
    await next();
  };
}

const wantsHtml = (c: Context) =>
  (c.req.header('accept') ?? '').includes('text/html') && !c.req.path.startsWith('/api/');

export function requireRole(role: Role): MiddlewareHandler<Env> {
  return async (c, next) => {
    const p = c.get('principal');
    if (!p) {
      if (wantsHtml(c) && c.req.method === 'GET')
        return c.redirect(`/staff/login?next=${encodeURIComponent(c.req.path)}`, 303);
      return c.json(
        { error: 'unauthorized', message: 'sign in first (session cookie or Authorization: Bearer token)' },
        401,
      );
    }
    if (!hasRole(p, role))
      return c.json({ error: 'forbidden', message: `this needs the ${role} role; you are ${p.role}` }, 403);
    // A browser session must not be usable from another site's form (CSRF).
    if (p.via === 'session' && !['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) {
      // A form posted from a page served with Referrer-Policy: no-referrer (secureHeaders' default)
      // carries Origin: null (Fetch spec, serializing a request origin): Sec-Fetch-Site decides then.
      const sent = c.req.header('origin');
      const origin = sent === 'null' ? undefined : sent;
      const site = c.req.header('sec-fetch-site');
      // The browser's own origin, which behind CloudFront is the portal's, not the API host in
      // c.req.url; public-origin.ts says when a forwarded host is believed and why that never lets
      // a foreign Origin through.
      const self = viewerOrigin(c);
      if ((origin && origin !== self) || (!origin && site && site !== 'same-origin' && site !== 'none'))
        return c.json({ error: 'forbidden', message: 'cross-site request refused' }, 403);
    }
    await next();
  };
}

/** Fixed-window limit per client address; `perMinute` 0 turns it off. */
export function rateLimit(perMinute: number): MiddlewareHandler {
  const windows = new Map<string, { start: number; n: number }>();
  return async (c, next) => {
    if (perMinute <= 0) return next();
    const now = Date.now();
    const key = clientAddress(c);
    let w = windows.get(key);
    if (!w || now - w.start >= 60_000) {
      w = { start: now, n: 0 };
      windows.set(key, w);
      if (windows.size > 10_000) for (const [k, v] of windows) if (now - v.start >= 60_000) windows.delete(k);
    }
    w.n++;
    c.header('RateLimit-Limit', String(perMinute));
    c.header('RateLimit-Remaining', String(Math.max(0, perMinute - w.n)));
    if (w.n > perMinute) {
      c.header('Retry-After', String(Math.ceil((w.start + 60_000 - now) / 1000)));
      return c.json(
        { error: 'rate_limited', message: `more than ${perMinute} requests a minute; slow down` },
        429,
      );
    }
    return next();
  };
}

/** Upload file names become local file names: only plain names, no paths or control characters. */
export function safeFileName(name: string): string | null {
  if (name.length === 0 || name.length > 200) return null;
  if (/[/\\]/.test(name) || [...name].some((ch) => ch.charCodeAt(0) < 32 || ch.charCodeAt(0) === 127))
    return null;
  if (name === '.' || name === '..' || name.startsWith('.') || name.includes('..')) return null;
  if (!/^[\p{L}\p{N} ._()+,=@-]+$/u.test(name)) return null;
  return name;
}
