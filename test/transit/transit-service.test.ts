// Service measures on the real feeds against published peer numbers (research/transit.md §1.2,
// §1.5, §8.1): Caltrain holiday swap, Google's frequency expansion, Cairns interpolated trips,
// Amtrak multi-day trips and stop time zones (gtfs-via-postgres epochs), derhuerst exact_times 0/1.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFamily } from '../../lib/compute/families';
import { createDb, queryRows } from '../../lib/engine/duckdb';
import { ingest } from '../../lib/ingest/ingest';
import { tempCtx } from '../helpers';
import { sharedData } from '../shared-data';

const GTFS = sharedData('gtfs');
const ctx = tempCtx();
afterAll(() => ctx.cleanup());

async function compute(feed: string, date?: string) {
  const family = await getFamily('transit');
  const out = join(ctx.root, 'out', `${feed}-${date ?? 'typical'}`);
  const res = await family.run(ctx, { date, out, flags: { feed } });
  const db = await createDb(ctx.config);
  const csv = async <T>(name: string, where = 'true') =>
    queryRows<T>(db, `select * from read_csv($p, header = true, all_varchar = true) where ${where}`, {
      p: join(out, name),
    });
  return {
    summary: res.summary as Record<string, unknown>,
    csv,
    json: JSON.parse(readFileSync(join(out, 'transit_summary.json'), 'utf8')),
  };
}

describe.skipIf(!GTFS)('transit service measures on the shared feeds', () => {
  beforeAll(async () => {
    const feeds: [string, string][] = [
      ['caltrain-2016-04-06/caltrain_20160406.zip', 'caltrain'],
      ['google-sample-feed-1/sample-feed-1.zip', 'sample'],
      ['cairns-2014/cairns_gtfs.zip', 'cairns'],
      ['amtrak-2021-10-06/amtrak-gtfs-2021-10-06.zip', 'amtrak'],
      ['seattle-area-2017-11-16/seattle-area-2017-11-16.repacked.zip', 'seattle'],
    ];
    for (const [rel, name] of feeds) {
      const o = await ingest(ctx, [join(GTFS!, rel)], { dataset: 'gtfs', name });
      expect(o.status).toBe('published');
    }
    const dir = mkdtempSync(join(tmpdir(), 'sample-gtfs-'));
    execFileSync('tar', [
      'xzf',
      join(GTFS!, 'sample-gtfs-feed-0.13.0-synthetic/sample-gtfs-feed-0.13.0.tgz'),
      '-C',
      dir,
      'package/gtfs',
    ]);
    expect(
      (await ingest(ctx, [join(dir, 'package/gtfs')], { dataset: 'gtfs', name: 'derhuerst' })).status,
    ).toBe('published');
  });

  it('Caltrain weekday 2016-04-13: 92 trips, 133.9167 revenue hours (peer hold-out numbers)', async () => {
    const { json } = await compute('caltrain', '2016-04-13');
    expect(json).toMatchObject({
      trips: 92,
      revenue_hours: 133.9167,
      active_service_ids: ['caltrain:CT-16APR-Caltrain-Weekday-01'],
    });
  });

  it('Caltrain 2016-07-04 holiday swap: Sunday service, 61 trips, 55.5 h; stop 777403 has 29 stop times', async () => {
    const { json, csv } = await compute('caltrain', '2016-07-04');
    expect(json).toMatchObject({
      trips: 61,
      revenue_hours: 55.5,
      active_service_ids: ['caltrain:CT-16APR-Caltrain-Sunday-02'],
    });
    const [stop] = await csv<{ stop_events: string }>('transit_stop_service.csv', `stop_id = '777403'`);
    expect(stop?.stop_events).toBe('29');
    const bands = await csv<{ departures: string }>('transit_stop_headways.csv', `stop_id = '777403'`);
    const [served] = await csv<{ departures: string }>('transit_stop_service.csv', `stop_id = '777403'`);
    expect(bands.reduce((n, b) => n + Number(b.departures), 0)).toBe(Number(served!.departures));
  });

  it('Caltrain route Bu-16APR runs 4 trips on Sunday 2017-04-16 (node-gtfs test)', async () => {
    const { csv } = await compute('caltrain', '2017-04-16');
    const [bu] = await csv<{ trips: string }>('transit_route_service.csv', `route_id = 'Bu-16APR'`);
    expect(bu?.trips).toBe('4');
  });

  it('Seattle area (3 agencies) on Thanksgiving 2017-11-23: calendar_dates holiday service → 532 trips, 390.5833 h (peer hold-out numbers)', async () => {
    const { json } = await compute('seattle', '2017-11-23');
    expect(json).toMatchObject({ trips: 532, revenue_hours: 390.5833 });
  });

  it('Google sample 2007-06-05: frequencies expanded with start + k·headway < end_time → 140 trips, 58.0667 h', async () => {
    const { json } = await compute('sample', '2007-06-05');
    expect(json).toMatchObject({ trips: 140, revenue_hours: 58.0667 });
    // the JS peers do not expand frequencies: 7 trips / 3.5333 h (research/transit.md §1.5)
    expect(json).toMatchObject({ unexpanded_trips: 7, unexpanded_revenue_hours: 3.5333 });
  });

  it('Google sample 2007-06-04: FULLW removed by calendar_dates → no service', async () => {
    const { json } = await compute('sample', '2007-06-04');
    expect(json).toMatchObject({ trips: 0, revenue_hours: 0, active_service_ids: [] });
  });

  it('Cairns 2014-05-26 and 2014-06-01 match gtfs_kit trip stats (trips, hours; distance within 1%)', async () => {
    const mon = (await compute('cairns', '2014-05-26')).json;
    expect(mon).toMatchObject({ trips: 622, revenue_hours: 472.6 });
    expect(Math.abs((mon.revenue_miles as number) * 1.609344 - 13774.027) / 13774.027).toBeLessThan(0.01);
    const sun = (await compute('cairns', '2014-06-01')).json;
    expect(sun).toMatchObject({ trips: 266, revenue_hours: 197.6833 });
    expect(Math.abs((sun.revenue_miles as number) * 1.609344 - 6390.846) / 6390.846).toBeLessThan(0.01);
  });

  it('Amtrak 2021-11-26: Acela 16 trips; Birmingham first/last arrival epochs as gtfs-via-postgres (Chicago stop, New York agency)', async () => {
    const { csv } = await compute('amtrak', '2021-11-26');
    const [acela] = await csv<{ trips: string }>('transit_route_service.csv', `route_id = '40751'`);
    expect(acela?.trips).toBe('16');
    const [bhm] = await csv<{
      first_arrival_epoch: string;
      last_arrival_epoch: string;
      first_departure_local: string;
    }>('transit_stop_service.csv', `stop_id = 'BHM'`);
    expect(bhm).toMatchObject({ first_arrival_epoch: '1637957700', last_arrival_epoch: '1638038700' });
  });

  it('derhuerst feed: exact_times=1 (08:00–08:59 every 300 s) and exact_times=0 (15:00–16:00 every 600 s) expand to 12 + 6 trips', async () => {
    const { csv } = await compute('derhuerst', '2019-03-12');
    const [b] = await csv<{ trips: string; frequency_based_trips: string }>(
      'transit_route_service.csv',
      `route_id = 'B'`,
    );
    expect(b).toMatchObject({ trips: '18', frequency_based_trips: '6' });
  });

  it('derhuerst feed, Saturday 2019-03-30: a trip at 26:03 arrives after the DST switch (noon − 12 h rule)', async () => {
    const { csv } = await compute('derhuerst', '2019-03-30');
    // 2019-03-30 00:00 CET = 1553900400; + 26:03:00 = 2019-03-31 01:03 UTC (03:03 CEST on the wall)
    const [center] = await csv<{ last_arrival_epoch: string }>(
      'transit_stop_service.csv',
      `stop_id = 'center'`,
    );
    expect(center?.last_arrival_epoch).toBe(String(1553900400 + 26 * 3600 + 3 * 60));
  });

  it('without --date picks a typical weekday and says so', async () => {
    const { json } = await compute('caltrain');
    expect(json.date_selection).toMatch(/typical weekday/);
    expect([2, 3, 4]).toContain(new Date(`${json.service_date}T12:00:00Z`).getUTCDay());
    expect(json.trips).toBe(92);
  });
});
