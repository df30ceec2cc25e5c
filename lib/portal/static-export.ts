// The public portal as static files for AWS (ARCHITECTURE.md: "portal/… published static site
// and downloads"): every page, data.json, the OpenAPI document and the current versions'
// downloads are rendered once through the app itself and written under portal/ in the store,
// where CloudFront serves them with no per-request work. Pages are written as <path>/index.html,
// downloads and JSON documents at their own paths, so links work unchanged. Search, filters and
// the /api/v1 routes stay on the API (the static catalog lists everything); staff routes are
// never exported.
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Hono } from 'hono';
import { listDatasets } from '../catalog/catalog';
import type { Ctx } from '../context';
import { PARAMETER_FILES } from './bca-parameters-page';
import { listFamilies } from './measure-data';

export interface ExportResult {
  objects: number;
  bytes: number;
  prefix: string;
}

export async function exportPortal(
  ctx: Ctx,
  app: Hono<never>,
  opts: { prefix?: string; origin?: string } = {},
): Promise<ExportResult> {
  const prefix = opts.prefix ?? 'portal/';
  const origin = opts.origin ?? 'http://localhost';
  const paths = new Set<string>([
    '/',
    '/datasets',
    '/measures',
    '/bca',
    '/bca/parameters',
    ...PARAMETER_FILES.map((f) => `/bca/parameters/${f}`),
    '/api/docs',
    '/data.json',
    '/openapi.json',
    '/assets/docs.js',
  ]);
  for (const m of await listDatasets(ctx.storage)) paths.add(`/datasets/${m.id}`);
  for (const f of await listFamilies(ctx)) paths.add(`/measures/${f.name}`);
  let objects = 0;
  let bytes = 0;
  const done = new Set<string>();
  const put = async (path: string) => {
    if (done.has(path)) return;
    done.add(path);
    const res = await app.request(origin + path, {
      headers: {
        accept: path.startsWith('/api/') || path.endsWith('.json') ? 'application/json' : 'text/html',
      },
    });
    if (res.status === 302) return put(res.headers.get('location')!);
    if (res.status !== 200) throw new Error(`static export: ${path} answered ${res.status}`);
    const contentType = res.headers.get('content-type') ?? 'application/octet-stream';
    // A report file such as /bca/<run>/report.html is HTML but keeps its own name (not a page).
    const html = contentType.startsWith('text/html') && !/\.[a-z0-9]+$/i.test(path);
    // Pages become <path>/index.html (a folder can't also be a file on disk; CloudFront maps
    // /datasets/x to /datasets/x/index.html with a viewer-request function or S3 website hosting).
    const key = prefix + (path === '/' ? 'index.html' : html ? `${path.slice(1)}/index.html` : path.slice(1));
    if (!html && res.body && !contentType.startsWith('text/html')) {
      // Downloads can be a whole dataset (GBs of CSV): stream them through a scratch file, never
      // into memory (the publisher Lambda has 3 GB).
      const tmp = join(scratch, `${objects}.part`);
      await pipeline(Readable.fromWeb(res.body as never), createWriteStream(tmp));
      bytes += (await stat(tmp)).size;
      await ctx.storage.putFile(key, tmp, { contentType });
      await rm(tmp, { force: true });
      objects++;
      return;
    }
    const body = Buffer.from(await res.arrayBuffer());
    await ctx.storage.put(key, body, { contentType });
    objects++;
    bytes += body.length;
    // Follow links to downloads, result files and published analyses from the rendered page.
    if (html) {
      for (const m of body.toString('utf8').matchAll(/href="(\/(?:download|results|bca)\/[^"?#]+)"/g))
        await put(m[1]!);
    }
  };
  await mkdir(ctx.config.scratchDir, { recursive: true });
  const scratch = await mkdtemp(join(ctx.config.scratchDir, 'portal-export-'));
  try {
    for (const p of paths) await put(p);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return { objects, bytes, prefix };
}
