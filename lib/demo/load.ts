// Loads the demo region into the store: generate → ingest → compute, each step idempotent
// (identical bytes make no new version; a family is recomputed only when its inputs changed or
// it has never run), so `npm start` is quick the second time.
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { getLatestRun } from '../catalog/results';
import { type ComputeOptions, getFamily } from '../compute/families';
import type { Ctx } from '../context';
import { ingest } from '../ingest/ingest';
import { formatIssue } from '../ingest/issues';
import { generateAcsDemo } from './acs';
import { runBcaDemo } from './bca';
import { generateGtfsDemo } from './gtfs';
import { DEMO_NPMRDS_YEAR, generateNpmrds } from './npmrds';

export interface DemoStep {
  name: string;
  run(ctx: Ctx, dir: string): Promise<void>;
}

/** Ingests each (paths, dataset, name); true when any of them published a new version. */
async function ingestAll(ctx: Ctx, items: { paths: string[]; dataset: string; name?: string }[]) {
  let changed = false;
  for (const { paths, dataset, name } of items) {
    const out = await ingest(ctx, paths, { dataset, name });
    if (out.status === 'rejected') {
      const errors = out.issues.filter((i) => i.severity === 'error').map(formatIssue);
      throw new Error(`demo ${dataset} was rejected:\n${errors.join('\n')}`);
    }
    changed ||= out.status === 'published';
  }
  return changed;
}

async function compute(ctx: Ctx, family: string, opts: ComputeOptions, inputsChanged: boolean) {
  if (!inputsChanged && (await getLatestRun(ctx.storage, family))) return;
  await (await getFamily(family)).run(ctx, opts);
}

export const demoSteps: DemoStep[] = [
  {
    name: 'commute mode (ACS B08301)',
    async run(ctx, dir) {
      const changed = await ingestAll(ctx, [
        { paths: await generateAcsDemo(join(dir, 'acs')), dataset: 'acs_b08301' },
      ]);
      await compute(ctx, 'commute_mode', { out: join(dir, 'out', 'commute_mode'), flags: {} }, changed);
    },
  },
  {
    name: 'traffic: NPMRDS year, PM3 and congestion',
    async run(ctx, dir) {
      const [tmc, all, trucks, speed, uza] = (await generateNpmrds(join(dir, 'npmrds'))) as [
        string,
        string,
        string,
        string,
        string,
      ];
      const changed = await ingestAll(ctx, [
        { paths: [tmc, all, trucks], dataset: 'npmrds' },
        { paths: [speed], dataset: 'speed_limits' },
        { paths: [uza], dataset: 'urbanized_area_population' },
      ]);
      const year = DEMO_NPMRDS_YEAR;
      await compute(ctx, 'pm3', { year, out: join(dir, 'out', 'pm3'), flags: {} }, changed);
      await compute(ctx, 'congestion', { year, out: join(dir, 'out', 'congestion'), flags: {} }, changed);
    },
  },
  {
    name: 'transit: GTFS feed, service, coverage and accessibility',
    async run(ctx, dir) {
      const { feedZip, zonesCsv } = await generateGtfsDemo(join(dir, 'transit'));
      const changed = await ingestAll(ctx, [
        { paths: [feedZip], dataset: 'gtfs', name: 'demo' },
        { paths: [zonesCsv], dataset: 'zones', name: 'demo' },
      ]);
      const flags = { feed: 'demo', zones: 'demo' };
      await compute(ctx, 'transit', { out: join(dir, 'out', 'transit'), flags }, changed);
      await compute(
        ctx,
        'accessibility',
        {
          out: join(dir, 'out', 'accessibility'),
          flags: { ...flags, window: '07:00-09:00', cutoffs: '30,45,60' },
        },
        changed,
      );
    },
  },
  {
    name: 'plan program: TIP projects and two BCA scenarios',
    async run(ctx, dir) {
      await runBcaDemo(ctx, join(dir, 'bca'));
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
