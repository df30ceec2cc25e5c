// The origin (scheme://host[:port]) the browser is on. Served directly, that is the request URL's.
// On AWS the portal's CloudFront distribution sends /staff*, /api/* and the other per-request paths
// to API Gateway with the API's own Host (the origin needs it), so the request URL names
// <id>.execute-api…, not the portal's address in the browser's bar. A CloudFront Function on those
// behaviours copies the viewer's Host into VIEWER_HOST_HEADER (cdk/constructs/portal-site-api-request.ts),
// and this module decides whether to believe it.
//
// Why a forwarded host cannot open a cross-site hole: requireRole (security.ts) lets a
// cookie-authenticated write through only when its Origin equals the viewer origin worked out
// here. For a foreign site's page to pass, the viewer origin would have to be that foreign site,
// i.e. the request would have to carry VIEWER_HOST_HEADER naming it. A browser adds a custom
// header to a cross-site request only after a CORS preflight, which the staff routes never answer
// (app.ts allows CORS on read-only public paths only), and a plain form cannot set one; through
// CloudFront the function overwrites whatever the viewer sent with the Host CloudFront routed on,
// which is one of the distribution's own names. A client that can set any header (curl) holds no
// victim's cookie. On top of that the header is believed only when
//   - it names one of the configured public origins (CORRIDOR_PUBLIC_ORIGINS, the portal's custom
//     domain, set by the CDK app), whose scheme is then taken from the configuration; or
//   - the request carries EDGE_SECRET_HEADER with the edge secret (CORRIDOR_EDGE_SECRET), which
//     CloudFront adds to every request it sends to the API origin (an origin custom header) and
//     which a client calling API Gateway directly does not know. That covers the distribution's
//     *.cloudfront.net name, which the API stack cannot know (the portal stack already depends on
//     the API stack's endpoint; the reverse would be a cycle). The API behaviours redirect HTTP
//     to HTTPS, so a host believed this way is served over https.
// Otherwise the request URL's own origin stands, so an untrusted header can only make the check
// stricter, never looser. The header is not X-Forwarded-Host because API Gateway owns the
// X-Forwarded-* family (it rewrites X-Forwarded-For/Proto/Port on the way to Lambda and reserves
// X-Forwarded-Host in its parameter mapping), so a name of our own is the one known to arrive.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { Config } from '../config';
import type { Env } from './security';

/** Set by the CloudFront Function on the API behaviours to the Host the viewer sent. */
export const VIEWER_HOST_HEADER = 'x-corridor-viewer-host';
/** Set by CloudFront on every request to the API origin (origin custom header) to the edge secret. */
export const EDGE_SECRET_HEADER = 'x-corridor-edge';

/** A Host value as browsers send it: a DNS name or IP literal and an optional port, nothing else. */
const HOST = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;

const digest = (s: string) => createHash('sha256').update(s).digest();

export interface ViewerRequest {
  url: string;
  header(name: string): string | undefined;
}

/** A resolver for one configuration: the public origins by host, the secret's digest. */
export function viewerOriginResolver(cfg: Config['viewer']) {
  const byHost = new Map(cfg.publicOrigins.map((o) => [new URL(o).host, new URL(o).origin]));
  const secret = cfg.edgeSecret ? digest(cfg.edgeSecret) : undefined;
  // Digests of equal length: timingSafeEqual needs that, and the comparison leaks nothing of the secret.
  const fromEdge = (sent: string | undefined) =>
    Boolean(secret && sent && timingSafeEqual(digest(sent), secret));
  return (req: ViewerRequest): string => {
    const own = new URL(req.url).origin;
    const forwarded = req.header(VIEWER_HOST_HEADER)?.trim().toLowerCase();
    if (!forwarded || !HOST.test(forwarded)) return own;
    const listed = byHost.get(forwarded);
    if (listed) return listed;
    if (fromEdge(req.header(EDGE_SECRET_HEADER))) return `https://${forwarded}`;
    return own;
  };
}

/** Works the viewer origin out once per request (app.ts registers it before anything reads it). */
export function viewerOriginMiddleware(cfg: Config['viewer']): MiddlewareHandler<Env> {
  const resolve = viewerOriginResolver(cfg);
  return async (c, next) => {
    c.set('viewerOrigin', resolve(c.req));
    await next();
  };
}

/**
 * The origin the browser is on, for the cross-site check, sign-in callbacks, cookies' Secure flag
 * and every absolute URL the app prints. Without the middleware (a route mounted on its own in a
 * test) it is the request URL's origin: the strict answer.
 */
export function viewerOrigin(c: Context<Env>): string {
  return c.get('viewerOrigin') ?? new URL(c.req.url).origin;
}

/** Whether the browser reached the app over https (cookies get Secure then). */
export const viewerIsHttps = (c: Context<Env>) => viewerOrigin(c).startsWith('https:');
