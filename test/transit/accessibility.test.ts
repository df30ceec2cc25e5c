// Coverage and accessibility on the generated demo region (no shared data needed): the holiday
// swap, coverage totals, r5-style accessibility invariants, and a before/after scenario that only
// adds trips (so no zone may lose access).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../lib/api/app';
import { getFamily } from '../../lib/compute/families';
import { generateGtfsDemo } from '../../lib/demo/gtfs';
import { createDb, queryRows } from '../../lib/engine/duckdb';
import { ingest } from '../../lib/ingest/ingest';
import { tempCtx } from '../helpers';

const ctx = tempCtx();
afterAll(() => ctx.cleanup());
const SMALL = { radials: 4, crosstowns: 1, zoneGrid: 8, radiusKm: 5 };
let zonesCsv = '';

async function rows<T>(file: string, where = 'true') {
  const db = await createDb(ctx.config);
  return queryRows<T>(db, `select * from read_csv($p, header = true, auto_detect = true) where ${where}`, {
    p: file,
  });
}

describe('transit coverage and accessibility on the generated demo region', () => {
  beforeAll(async () => {
    const base = await generateGtfsDemo(join(ctx.root, 'base'), SMALL);
    const boost = await generateGtfsDemo(join(ctx.root, 'boost'), { ...SMALL, trunkHeadwayFactor: 0.5 });
    zonesCsv = base.zonesCsv;
    expect((await ingest(ctx, [base.feedZip], { dataset: 'gtfs', name: 'demo' })).status).toBe('published');
    expect((await ingest(ctx, [boost.feedZip], { dataset: 'gtfs', name: 'demo_boost' })).status).toBe(
      'published',
    );
    expect((await ingest(ctx, [base.zonesCsv], { dataset: 'zones', name: 'demo' })).status).toBe('published');
  });

  it('the generator is deterministic', async () => {
    const again = await generateGtfsDemo(join(ctx.root, 'again'), SMALL);
    expect(readFileSync(again.zonesCsv)).toEqual(readFileSync(zonesCsv));
    expect(readFileSync(again.feedZip)).toEqual(
      readFileSync(join(ctx.root, 'base', 'demo-transit-gtfs.zip')),
    );
  });

  it('runs Sunday service on the 2025-07-04 holiday and reports coverage of the zones dataset', async () => {
    const transit = await getFamily('transit');
    const holiday = await transit.run(ctx, {
      date: '2025-07-04',
      out: join(ctx.root, 'hol'),
      flags: { feed: 'demo' },
    });
    const sunday = await transit.run(ctx, {
      date: '2025-07-06',
      out: join(ctx.root, 'sun'),
      flags: { feed: 'demo' },
    });
    expect(holiday.summary.trips).toBe(sunday.summary.trips);
    expect(holiday.summary.active_service_ids).toEqual(['demo:SUN']);
    const weekday = await transit.run(ctx, {
      date: '2025-07-08',
      out: join(ctx.root, 'wk'),
      flags: { feed: 'demo', zones: 'demo' },
    });
    expect(weekday.summary.trips as number).toBeGreaterThan(sunday.summary.trips as number);
    // two feeds of one region add up (ids are kept apart by feed_id)
    const both = await transit.run(ctx, {
      date: '2025-07-08',
      out: join(ctx.root, 'both'),
      flags: { feed: 'demo,demo_boost' },
    });
    const boost = await transit.run(ctx, {
      date: '2025-07-08',
      out: join(ctx.root, 'boost'),
      flags: { feed: 'demo_boost' },
    });
    expect(both.summary.trips).toBe((weekday.summary.trips as number) + (boost.summary.trips as number));
    expect(both.summary.feeds).toBe(2);
    // the default date is a typical weekday, not the New Year's Day holiday the calendar starts on
    const typical = await transit.run(ctx, { out: join(ctx.root, 'typ'), flags: { feed: 'demo' } });
    expect(typical.summary.service_date).toBe('2025-01-02');
    const cov = await rows<{
      population_group: string;
      buffer_miles: number;
      stop_set: string;
      population: number;
      population_covered: number;
      population_share: number;
    }>(join(ctx.root, 'wk', 'transit_coverage.csv'));
    const zones = await rows<{ population: number }>(zonesCsv);
    const total = zones.reduce((n, z) => n + Number(z.population), 0);
    const all = cov.filter((c) => c.population_group === 'all');
    expect(all).toHaveLength(4);
    for (const c of all) expect(Number(c.population)).toBe(total);
    const share = (b: number, s: string) =>
      Number(all.find((c) => Number(c.buffer_miles) === b && c.stop_set === s)!.population_share);
    expect(share(0.25, 'any')).toBeLessThanOrEqual(share(0.5, 'any'));
    expect(share(0.5, 'frequent')).toBeLessThanOrEqual(share(0.5, 'any'));
    expect(share(0.5, 'any')).toBeGreaterThan(0);
  });

  it('accessibility: monotone in cutoff and percentile, own jobs always reached, the scenario that adds trips never loses access', async () => {
    const acc = await getFamily('accessibility');
    const out = join(ctx.root, 'acc');
    const res = await acc.run(ctx, {
      date: '2025-07-08',
      out,
      flags: {
        feed: 'demo',
        'scenario-feed': 'demo_boost',
        zones: zonesCsv,
        window: '07:00-08:00',
        cutoffs: '30,45,60',
        percentiles: '25,50,75',
      },
    });
    type Row = { zone_id: string; percentile: number; cutoff_min: number; opportunities: number };
    const r = await rows<Row>(join(out, 'transit_accessibility.csv'));
    const zones = await rows<{ zone_id: string; jobs: number }>(zonesCsv);
    expect(r).toHaveLength(zones.length * 9);
    const get = (z: string, p: number, c: number) =>
      Number(
        r.find((x) => x.zone_id === z && Number(x.percentile) === p && Number(x.cutoff_min) === c)!
          .opportunities,
      );
    for (const z of zones) {
      for (const p of [25, 50, 75]) {
        expect(get(z.zone_id, p, 30)).toBeGreaterThanOrEqual(Number(z.jobs));
        expect(get(z.zone_id, p, 45)).toBeGreaterThanOrEqual(get(z.zone_id, p, 30));
        expect(get(z.zone_id, p, 60)).toBeGreaterThanOrEqual(get(z.zone_id, p, 45));
      }
      for (const c of [30, 45, 60]) {
        expect(get(z.zone_id, 25, c)).toBeGreaterThanOrEqual(get(z.zone_id, 50, c));
        expect(get(z.zone_id, 50, c)).toBeGreaterThanOrEqual(get(z.zone_id, 75, c));
      }
    }
    const change = await rows<{ change: number }>(join(out, 'transit_accessibility_change.csv'));
    expect(change.every((c) => Number(c.change) >= 0)).toBe(true);
    expect(change.some((c) => Number(c.change) > 0)).toBe(true);
    const lineage = JSON.parse(readFileSync(join(out, 'lineage.json'), 'utf8'));
    expect(lineage.params).toMatchObject({
      walk_speed_m_per_s: 1,
      walk_detour_factor: 1.3,
      max_walk_min: 15,
      window: '07:00-08:00',
    });
    expect(lineage.inputs.map((i: { dataset_id: string }) => i.dataset_id)).toEqual([
      'gtfs.demo',
      'gtfs.demo_boost',
    ]);
    expect((res.summary.regional as unknown[]).length).toBeGreaterThanOrEqual(9);
    // worker threads give the same numbers as one thread
    const single = join(ctx.root, 'acc1');
    await acc.run(ctx, {
      date: '2025-07-08',
      out: single,
      flags: {
        feed: 'demo',
        zones: zonesCsv,
        window: '07:00-08:00',
        cutoffs: '30,45,60',
        percentiles: '25,50,75',
        threads: '1',
      },
    });
    expect(readFileSync(join(single, 'transit_accessibility.csv'), 'utf8')).toBe(
      readFileSync(join(out, 'transit_accessibility.csv'), 'utf8'),
    );
  });

  it('the API serves the latest accessibility run with its lineage, and its files', async () => {
    const app = createApp({ ctx, limits: { ratePerMinute: 0 } });
    const res = await app.request('/api/results/accessibility');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      run: { run_id: string; files: string[] };
      lineage: { params: Record<string, unknown> };
    };
    expect(body.run.files.some((f) => f.endsWith('/transit_accessibility.csv'))).toBe(true);
    expect(body.lineage.params.walk_detour_factor).toBe(1.3);
    const file = await app.request(
      `/results/accessibility/${body.run.run_id}/transit_accessibility_summary.csv`,
    );
    expect(file.status).toBe(200);
    expect(await file.text()).toMatch(/^population_group,percentile,cutoff_min/);
  });
});
