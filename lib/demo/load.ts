// Loads the demo region into the store: generate → ingest → compute, each step idempotent
// (identical bytes make no new version), so `npm start` is quick the second time.
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { getLatestRun } from '../catalog/results';
import { getFamily } from '../compute/families';
import type { Ctx } from '../context';
import { ingest } from '../ingest/ingest';
import { formatIssue } from '../ingest/issues';
import { generateAcsDemo } from './acs';

export interface DemoStep {
  name: string;
  run(ctx: Ctx, dir: string): Promise<void>;
}

async function ingestOrFail(ctx: Ctx, paths: string[], dataset: string, name?: string) {
  const out = await ingest(ctx, paths, { dataset, name });
  if (out.status === 'rejected') {
    throw new Error(
      `demo ${dataset} was rejected:\n${out.issues
        .filter((i) => i.severity === 'error')
        .map(formatIssue)
        .join('\n')}`,
    );
  }
  return out;
}

async function computeOnce(
  ctx: Ctx,
  family: string,
  key: string,
  opts: Parameters<Awaited<ReturnType<typeof getFamily>>['run']>[1],
  force: boolean,
) {
  if (!force && (await getLatestRun(ctx.storage, family, key))) return;
  const f = await getFamily(family);
  await f.run(ctx, opts);
}

export const demoSteps: DemoStep[] = [
  {
    name: 'commute mode (ACS B08301)',
    async run(ctx, dir) {
      const files = await generateAcsDemo(join(dir, 'acs'));
      const r = await ingestOrFail(ctx, files, 'acs_b08301');
      await computeOnce(
        ctx,
        'commute_mode',
        'all',
        { out: join(dir, 'out', 'commute_mode'), flags: {} },
        r.status === 'published',
      );
    },
  },
];

export async function loadDemo(ctx: Ctx) {
  const dir = await mkdtemp(join(ctx.config.scratchDir, 'demo-'));
  try {
    for (const step of demoSteps) {
      ctx.log.info(`demo: ${step.name}`);
      await step.run(ctx, dir);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
