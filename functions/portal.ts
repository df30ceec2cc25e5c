// Lambda entry for the portal publisher: after an ingest publishes a dataset version (its
// catalog manifest) or a compute run publishes results (the family's results index), render the
// public portal into the site bucket and invalidate what changed (cdk/constructs/portal-publisher.ts).
// The event only says that something changed: every run publishes the whole current portal, so a
// retried or bursty trigger is harmless (reserved concurrency 1 keeps publishes from overlapping).
import { z } from 'zod';
import { createApp } from '../lib/api/app';
import { type Ctx, createContext } from '../lib/context';
import { invalidate } from '../lib/portal/cloudfront-invalidation';
import { publishSite } from '../lib/portal/publish-site';
import { S3Storage } from '../lib/storage/s3-storage';

// Set by the portal stack. Read here rather than in lib/config.ts: only this function has them.
const PortalEnv = z.object({
  CORRIDOR_SITE_BUCKET: z.string().min(1),
  CORRIDOR_PORTAL_ORIGIN: z.string().url(),
  CORRIDOR_DISTRIBUTION_ID: z.string().min(1),
  AWS_ACCESS_KEY_ID: z.string().min(1),
  AWS_SECRET_ACCESS_KEY: z.string().min(1),
  AWS_SESSION_TOKEN: z.string().optional(),
});

let ctxPromise: Promise<Ctx> | undefined;
const context = () => (ctxPromise ??= createContext());

export async function handler(event: unknown) {
  const env = PortalEnv.parse(process.env);
  const ctx = await context();
  const site = new S3Storage({
    ...ctx.config.s3,
    bucket: env.CORRIDOR_SITE_BUCKET,
    prefix: '',
    scratchDir: ctx.config.scratchDir,
  });
  const app = createApp({ ctx, limits: { ratePerMinute: 0 } });
  // {"force": true} (a manual invoke after a deploy that changed page templates) re-uploads all.
  const force = Boolean((event as { force?: unknown } | null)?.force);
  const r = await publishSite(ctx, app as never, { site, origin: env.CORRIDOR_PORTAL_ORIGIN, force });
  const invalidation = r.invalidate.length
    ? await invalidate(env.CORRIDOR_DISTRIBUTION_ID, r.invalidate, {
        accessKeyId: env.AWS_ACCESS_KEY_ID,
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
        sessionToken: env.AWS_SESSION_TOKEN,
      })
    : null;
  ctx.log.info(
    `portal published: ${r.uploaded.length} uploaded, ${r.unchanged} unchanged, ${r.deleted.length} deleted` +
      (invalidation ? `, invalidation ${invalidation} (${r.invalidate.length} paths)` : ''),
  );
  return { uploaded: r.uploaded.length, unchanged: r.unchanged, deleted: r.deleted, invalidation };
}
