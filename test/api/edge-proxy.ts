// A local stand-in for the portal's CloudFront on the API behaviours (cdk/constructs/portal-site.ts),
// for tests: it sends the API's own Host upstream, drops what the client sent under the
// forwarded-host and edge-secret names, copies the client's Host into the forwarded-host header
// (the CloudFront Function) and adds the edge secret when given one (the origin custom header).
import { createServer, request } from 'node:http';
import { EDGE_SECRET_HEADER, VIEWER_HOST_HEADER } from '../../lib/api/public-origin';

/** The proxy (not yet listening); `forward: false` is a distribution without the function. */
export function edgeProxy(upstream: () => number, o: { secret?: string; forward: () => boolean }) {
  const server = createServer((req, res) => {
    const headers = { ...req.headers };
    delete headers[VIEWER_HOST_HEADER];
    delete headers[EDGE_SECRET_HEADER];
    if (o.forward()) headers[VIEWER_HOST_HEADER] = req.headers.host;
    if (o.secret) headers[EDGE_SECRET_HEADER] = o.secret;
    headers.host = `127.0.0.1:${upstream()}`;
    const up = request(
      { host: '127.0.0.1', port: upstream(), method: req.method, path: req.url, headers },
      (r) => {
        res.writeHead(r.statusCode!, r.headers);
        r.pipe(res);
      },
    );
    up.on('error', (e) => res.writeHead(502).end(String(e)));
    req.pipe(up);
  });
  return server;
}
