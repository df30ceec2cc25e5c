// A PM3 run split into TMC-shard tasks and reduced publishes exactly what the one-machine run
// publishes, whether the tasks run in-process (--fanout local) or as the state machine runs them
// (tasks.jsonl lines as compute events, then a reduce given the Distributed Map results manifest).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getFamily } from '../../lib/compute/families';
import type { Ctx } from '../../lib/context';
import { DEMO_NPMRDS_YEAR, generateNpmrds } from '../../lib/demo/npmrds';
import { createDb, queryRows } from '../../lib/engine/duckdb';
import { ingest } from '../../lib/ingest/ingest';
import { type FanoutTask, manifestKey } from '../../lib/measures/pm3/fanout';
import { sharedData } from '../shared-data';
import { tempContext } from './helpers';

let ctx: Ctx;
let dir: string;
let single: Awaited<ReturnType<Awaited<ReturnType<typeof getFamily>>['run']>>;

/** Rows of a in b and of b in a, by DuckDB EXCEPT ALL over the two CSVs (all columns as text). */
async function differences(a: string, b: string) {
  const db = await createDb({ scratchDir: join(dir, 'scratch'), duckdb: { threads: 1 } });
  const read = (p: string) => `read_csv('${p}', header = true, all_varchar = true)`;
  const [r] = await queryRows<{ a: number; b: number; n: number }>(
    db,
    `select (select count(*) from (select * from ${read(a)} except all select * from ${read(b)}))::integer as a,
            (select count(*) from (select * from ${read(b)} except all select * from ${read(a)}))::integer as b,
            (select count(*) from ${read(a)})::integer as n`,
  );
  return r!;
}

async function expectSameAsSingle(outDir: string, summary: Record<string, unknown>) {
  expect(summary).toEqual(single.summary);
  const csvs = single.files.filter((f) => f.endsWith('.csv'));
  expect(csvs.map((f) => f.split('/').at(-1)).sort()).toEqual([
    'pm3_measures.csv',
    'pm3_phed_per_capita.csv',
    'pm3_tmc.csv',
    'pm3_tmc_periods.csv',
  ]);
  for (const f of csvs) {
    const base = f.split('/').at(-1)!;
    const d = await differences(f, join(outDir, base));
    expect(d, base).toEqual({ a: 0, b: 0, n: d.n });
    // Per-capita PHED is empty where no urbanized-area population was ingested (the FHWA set).
    if (base !== 'pm3_phed_per_capita.csv') expect(d.n, base).toBeGreaterThan(0);
    expect(readFileSync(join(outDir, base), 'utf8'), base).toBe(readFileSync(f, 'utf8'));
  }
}

describe('PM3 fan-out by TMC shard', () => {
  beforeAll(async () => {
    ({ ctx, dir } = await tempContext());
    const [tmc, all, trucks, speed, uza] = (await generateNpmrds(join(dir, 'demo'), {
      tmcs: 24,
    })) as string[];
    expect((await ingest(ctx, [tmc!, all!, trucks!], { dataset: 'npmrds' })).status).toBe('published');
    await ingest(ctx, [speed!], { dataset: 'speed_limits' });
    await ingest(ctx, [uza!], { dataset: 'urbanized_area_population' });
    single = await (await getFamily('pm3')).run(ctx, {
      year: DEMO_NPMRDS_YEAR,
      out: join(dir, 'single'),
      flags: {},
    });
  });

  it('--fanout local equals the one-machine run', async () => {
    const pm3 = await getFamily('pm3');
    const r = await pm3.run(ctx, {
      year: DEMO_NPMRDS_YEAR,
      out: join(dir, 'local'),
      flags: { fanout: 'local' },
    });
    await expectSameAsSingle(join(dir, 'local'), r.summary);
  });

  it('the state machine path (plan, shard events, reduce by map results) equals it too', async () => {
    const pm3 = await getFamily('pm3');
    const plan = await pm3.run(ctx, { year: DEMO_NPMRDS_YEAR, flags: { fanout: 'plan' } });
    const run = String(plan.summary.run);
    expect(plan.files).toEqual([manifestKey(run)]);
    const lines = (await ctx.storage.get(manifestKey(run)))!.body.toString('utf8').trim().split('\n');
    const tasks = lines.map((l) => JSON.parse(l) as FanoutTask);
    // Every shard is some task's, once.
    const shards = tasks.flatMap((t) => t.flags.shard!.split(',').map(Number)).sort((a, b) => a - b);
    expect(shards).toEqual([...Array(16).keys()]);
    expect(tasks.length).toBeGreaterThan(1);
    // Reducing before every shard is done is refused.
    await pm3.run(ctx, { year: tasks[0]!.year, flags: tasks[0]!.flags });
    await expect(pm3.run(ctx, { flags: { 'fanout-run': run } })).rejects.toThrow(/not every shard/);
    const items = [];
    for (const t of tasks.slice(1)) {
      const out = await pm3.run(ctx, { year: t.year, flags: t.flags });
      expect(out.files.some((k) => k.startsWith(`tmp/fanout/${run}/shard=`))).toBe(true);
      items.push({ Input: JSON.stringify(t), Output: JSON.stringify(out), Status: 'SUCCEEDED' });
    }
    items.push({ Input: lines[0], Output: '{}', Status: 'SUCCEEDED' });
    // What the Distributed Map's ResultWriter leaves: manifest.json naming the result files.
    const results = 'tmp/fanout/results/exec-1/';
    await ctx.storage.put(`${results}SUCCEEDED_0.json`, JSON.stringify(items));
    await ctx.storage.put(
      `${results}manifest.json`,
      JSON.stringify({
        ResultFiles: { FAILED: [], PENDING: [], SUCCEEDED: [{ Key: `${results}SUCCEEDED_0.json` }] },
      }),
    );
    const reduced = await pm3.run(ctx, {
      out: join(dir, 'reduced'),
      flags: { 'map-results-key': `${results}manifest.json` },
    });
    await expectSameAsSingle(join(dir, 'reduced'), reduced.summary);
  });
});

const fixture = sharedData('npmrds/fhwa_pm3-testdata');

describe.skipIf(!fixture)('PM3 fan-out on the FHWA PM3 test readings', () => {
  it('--fanout local equals the one-machine run, file for file', async () => {
    ({ ctx, dir } = await tempContext());
    await ingest(ctx, [fixture!], { dataset: 'npmrds' });
    await ingest(ctx, [join(fixture!, 'speed_limits.csv')], { dataset: 'speed_limits' });
    const pm3 = await getFamily('pm3');
    single = await pm3.run(ctx, { year: 2020, out: join(dir, 'single'), flags: {} });
    const r = await pm3.run(ctx, { year: 2020, out: join(dir, 'local'), flags: { fanout: 'local' } });
    await expectSameAsSingle(join(dir, 'local'), r.summary);
  });
});
