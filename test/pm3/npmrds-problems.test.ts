// Bad NPMRDS input is counted and reported, never silently dropped: unknown TMCs, negative and
// absurd travel times, unreadable stamps, duplicated epochs and sparse TMCs. Also the export
// variants: travel_time_minutes, a merged file with a datasource column, 5-minute epochs.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getFamily } from '../../lib/compute/families';
import { useDataset } from '../../lib/compute/run-support';
import { queryRows } from '../../lib/engine/duckdb';
import { ingest } from '../../lib/ingest/ingest';
import { tempContext } from './helpers';

const TMC = `tmc,road,direction,miles,timezone_name,f_system,faciltype,nhs,nhs_pct,aadt
110+00001,I-1,EASTBOUND,1.0,America/New_York,1,2,1,100,20000
110+00002,I-1,WESTBOUND,1.0,America/New_York,1,2,1,100,20000
`;

describe('NPMRDS ingest problems', () => {
  it('reports each kind of bad row with its line, quarantines the unusable ones and keeps the rest', async () => {
    const { ctx, dir } = await tempContext();
    writeFileSync(join(dir, 'TMC_Identification.csv'), TMC);
    const rows = ['tmc_code,measurement_tstamp,travel_time_seconds'];
    for (let i = 0; i < 400; i++)
      rows.push(
        `110+00001,2021-03-0${1 + (i % 5)} ${String(6 + (Math.floor(i / 20) % 12)).padStart(2, '0')}:${String((i % 4) * 15).padStart(2, '0')}:00,${60 + (i % 7)}`,
      );
    rows.push('999+99999,2021-03-01 07:00:00,60'); // unknown TMC (line 402)
    rows.push('110+00002,2021-03-01 07:00:00,-5'); // negative
    rows.push('110+00002,2021-03-01 07:15:00,99999'); // absurd
    rows.push('110+00002,not a time,60'); // bad stamp
    rows.push('110+00002,2021-03-01 08:00:00,'); // missing: kept out, counted
    writeFileSync(join(dir, 'all_vehicles.csv'), `${rows.join('\n')}\n`);
    const out = await ingest(ctx, [dir], { dataset: 'npmrds' });
    expect(out.status).toBe('published');
    const byCode = (c: string) => out.issues.filter((i) => i.code === c);
    expect(byCode('unknown_tmc')[0]).toMatchObject({ line: 402, column: 'tmc_code' });
    expect(byCode('negative_travel_time')[0]).toMatchObject({ line: 403 });
    expect(byCode('absurd_travel_time')[0]).toMatchObject({ line: 404 });
    expect(byCode('bad_timestamp')[0]).toMatchObject({ line: 405 });
    expect(byCode('missing_travel_time')[0]?.count).toBe(1);
    // the 400 generated stamps repeat (5 days x 12 hours x 4 quarters = 240 distinct): reported and averaged
    expect(byCode('duplicate_epoch')[0]?.count).toBe(160);
    expect(byCode('tmc_without_readings')[0]?.count).toBe(1);
    expect(out.rowsQuarantined).toBe(4);
    expect(out.rowsRead).toBe(405 + 2); // readings + the TMC file's rows
  });

  it('reads minutes, a merged datasource column and 5-minute epochs', async () => {
    const { ctx, dir } = await tempContext();
    writeFileSync(join(dir, 'TMC_Identification.csv'), TMC);
    writeFileSync(
      join(dir, 'merged.csv'),
      [
        'datasource,tmc_code,measurement_tstamp,travel_time_minutes',
        'NPMRDS (All vehicles),110+00001,2021-03-01 07:00:00,1.0',
        'NPMRDS (All vehicles),110+00001,2021-03-01 07:05:00,1.5',
        'NPMRDS (All vehicles),110+00001,2021-03-01 07:10:00,2.0',
        'NPMRDS (Trucks),110+00001,2021-03-01 07:00:00,3.0',
        'NPMRDS (Passenger vehicles),110+00001,2021-03-01 07:00:00,0.9',
      ].join('\n'),
    );
    const out = await ingest(ctx, [dir], { dataset: 'npmrds', maxBadRowFraction: 0 });
    expect(out.status).toBe('published');
    const db = await ctx.db();
    await useDataset(ctx, db, 'npmrds', 'readings', 'r');
    const got = await queryRows(
      db,
      'select vehicle_class, measurement_tstamp::varchar as ts, travel_time_seconds as tt, readings from r order by vehicle_class',
    );
    expect(got).toEqual([
      { vehicle_class: 'all', ts: '2021-03-01 07:00:00', tt: 90, readings: 3 },
      { vehicle_class: 'passenger', ts: '2021-03-01 07:00:00', tt: 54, readings: 1 },
      { vehicle_class: 'truck', ts: '2021-03-01 07:00:00', tt: 180, readings: 1 },
    ]);
  });

  it('keeps an earlier year usable after a later year is ingested on its own', async () => {
    const { ctx, dir } = await tempContext();
    const versions: string[] = [];
    for (const year of [2021, 2022]) {
      const d = join(dir, String(year));
      mkdirSync(d);
      writeFileSync(join(d, 'TMC_Identification.csv'), TMC);
      writeFileSync(
        join(d, 'readings.csv'),
        `tmc_code,measurement_tstamp,travel_time_seconds\n110+00001,${year}-03-01 07:00:00,60\n`,
      );
      const out = await ingest(ctx, [d], { dataset: 'npmrds' });
      versions.push(out.version!);
    }
    const pm3 = await getFamily('pm3');
    const res = await pm3.run(ctx, { year: 2021, out: join(dir, 'out'), flags: {} });
    const lineage = JSON.parse(readFileSync(join(dir, 'out', 'lineage.json'), 'utf8'));
    expect(lineage.inputs).toContainEqual(
      expect.objectContaining({ dataset_id: 'npmrds', version: versions[0] }),
    );
    expect(res.summary.counts).toMatchObject({ tmcs: 2 });
    await expect(pm3.run(ctx, { year: 2019, out: join(dir, 'x'), flags: {} })).rejects.toThrow(
      /years present: 2021, 2022/,
    );
  });
});
