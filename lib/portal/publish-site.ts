// Publishes the public portal into the site bucket CloudFront serves (cdk/stacks/portal-stack.ts).
// The static export (static-export.ts) is rendered straight into the site store: an object is
// uploaded only when its bytes or headers changed, objects the export no longer produces are
// deleted, and the URL paths CloudFront must drop from its cache are returned. Running it twice
// changes nothing the second time, so a burst of triggers costs one real publish.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Hono } from 'hono';
import type { Ctx } from '../context';
import { type Body, getJson, type PutOptions, putJson, type Storage } from '../storage/storage';
import { exportPortal } from './static-export';

/** What the last publish wrote, kept in the data store (the site bucket holds only what is served). */
export const SITE_STATE_KEY = 'portal/site-state.json';

interface Published {
  sha256: string;
  contentType: string;
  cacheControl: string;
  /** The site object's ETag right after the write: a different one means someone replaced it. */
  etag: string;
}

interface SiteState {
  origin: string;
  objects: Record<string, Published>;
}

export interface PublishSiteResult {
  uploaded: string[];
  deleted: string[];
  unchanged: number;
  /** CloudFront invalidation paths for what changed ('/*' when that is fewer requests). */
  invalidate: string[];
}

/** Above this many changed paths one '/*' invalidation replaces them (each path is billed). */
export const INVALIDATE_ALL_ABOVE = 40;

/**
 * Versioned downloads and result runs never change under their path; pages, data.json and the
 * OpenAPI document change with every publish: browsers keep them a minute, CloudFront ten, and
 * the publisher's invalidation refreshes CloudFront sooner.
 */
export function cacheControlFor(key: string, contentType: string): string {
  const immutable = /^(download|results)\//.test(key) && !key.split('/').includes('latest');
  if (immutable) return 'public, max-age=31536000, immutable';
  if (contentType.startsWith('text/html') || contentType.startsWith('application/json'))
    return 'public, max-age=60, s-maxage=600';
  return 'public, max-age=3600';
}

/** The viewer paths that serve a site key (pages are requested without /index.html). */
export function viewerPaths(key: string): string[] {
  if (key === 'index.html') return ['/', '/index.html'];
  if (key.endsWith('/index.html')) {
    const page = `/${key.slice(0, -'/index.html'.length)}`;
    return [page, `${page}/`, `/${key}`];
  }
  return [`/${key}`];
}

async function bytesOf(body: Body): Promise<Buffer> {
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const c of body as Readable) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

const bare = (etag: string) => etag.replace(/^"(.*)"$/, '$1');

/**
 * Export the portal of `ctx`'s store through `app` into `site`. `origin` is the public address
 * (data.json and the CKAN shim print absolute URLs); a changed origin republishes everything.
 */
export async function publishSite(
  ctx: Ctx,
  app: Hono<never>,
  opts: { site: Storage; origin: string; force?: boolean; invalidateAllAbove?: number },
): Promise<PublishSiteResult> {
  const { site, origin } = opts;
  const before = (await getJson<SiteState>(ctx.storage, SITE_STATE_KEY))?.value;
  const previous = !opts.force && before?.origin === origin ? before.objects : {};
  const live = new Map((await site.list('')).objects.map((o) => [o.key, bare(o.etag)]));
  const objects: Record<string, Published> = {};
  const uploaded: string[] = [];
  let unchanged = 0;

  // Pages arrive as bytes (put), downloads as a scratch file (putFile): hashed either way, never
  // both in memory.
  const sync = async (
    key: string,
    sha256: string,
    putOpts: PutOptions,
    write: (o: PutOptions) => Promise<{ etag: string }>,
  ) => {
    const contentType = putOpts.contentType ?? 'application/octet-stream';
    const entry = { sha256, contentType, cacheControl: cacheControlFor(key, contentType) };
    const had = previous[key];
    if (
      had &&
      had.etag === live.get(key) &&
      had.sha256 === entry.sha256 &&
      had.contentType === entry.contentType &&
      had.cacheControl === entry.cacheControl
    ) {
      objects[key] = had;
      unchanged++;
      return { etag: had.etag };
    }
    const { etag } = await write({ contentType, cacheControl: entry.cacheControl });
    objects[key] = { ...entry, etag: bare(etag) };
    uploaded.push(key);
    return { etag };
  };
  const syncPut = async (key: string, body: Body, putOpts: PutOptions = {}) => {
    const bytes = await bytesOf(body);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return sync(key, sha256, putOpts, (o) => site.put(key, bytes, o));
  };
  const syncPutFile = async (key: string, path: string, putOpts: PutOptions = {}) => {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
    return sync(key, hash.digest('hex'), putOpts, (o) => site.putFile(key, path, o));
  };
  // The export reads the data store as usual and writes through syncPut into the site.
  const storage = new Proxy(ctx.storage, {
    get: (target, prop) => {
      if (prop === 'put') return syncPut;
      if (prop === 'putFile') return syncPutFile;
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  const done = await exportPortal({ ...ctx, storage }, app, { prefix: '', origin });
  // exportPortal throws when any page fails, so an empty export means an empty portal, never a
  // half-rendered one; still, never empty a live site on it.
  if (done.objects === 0) throw new Error('portal export produced no objects; the site was left as it is');

  const deleted = [...live.keys()].filter((k) => !(k in objects)).sort();
  for (const k of deleted) await site.delete(k);
  await putJson(ctx.storage, SITE_STATE_KEY, { origin, objects } satisfies SiteState);

  const paths = [...new Set([...uploaded, ...deleted].flatMap(viewerPaths))].sort();
  return {
    uploaded: uploaded.sort(),
    deleted,
    unchanged,
    invalidate: paths.length > (opts.invalidateAllAbove ?? INVALIDATE_ALL_ABOVE) ? ['/*'] : paths,
  };
}
