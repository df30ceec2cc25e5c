// Every GTFS feed in the shared data either ingests or is rejected with the notices a planner can
// act on (code, severity, file, line) — research/transit.md §8 and each feed's SOURCE.md.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getVersion } from '../../lib/catalog/catalog';
import { queryRows } from '../../lib/engine/duckdb';
import { ingest } from '../../lib/ingest/ingest';
import type { Issue } from '../../lib/ingest/issues';
import { VALIDATOR_SEVERITY } from '../../lib/transit/notices';
import { tempCtx } from '../helpers';
import { sharedData } from '../shared-data';

const GTFS = sharedData('gtfs');
const ctx = tempCtx();
afterAll(() => ctx.cleanup());

const feed = (rel: string, name: string) => ingest(ctx, [join(GTFS!, rel)], { dataset: 'gtfs', name });
const find = (issues: Issue[], code: string) => issues.filter((i) => i.code === code);

describe.skipIf(!GTFS)('GTFS ingest of the shared feeds', () => {
  it('uses the validator severities of gtfs-validator @ 03717cb for every notice code', () => {
    const tsv = readFileSync(join(GTFS!, 'gtfs_validator_notices_03717cb.tsv'), 'utf8');
    const known = new Map(
      tsv
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split('\t'))
        .map(([sev, code]) => [code!, sev!] as [string, string]),
    );
    for (const [code, sev] of Object.entries(VALIDATOR_SEVERITY)) {
      expect(known.has(code), code).toBe(true);
      // a code can exist in two severities upstream; ours must be one of them
      expect(
        [...known.entries()].some(([c, s]) => c === code && s === sev),
        `${code} ${sev}`,
      ).toBe(true);
    }
  });

  it('Caltrain: published, routes.txt spaces trimmed, no errors', async () => {
    const out = await feed('caltrain-2016-04-06/caltrain_20160406.zip', 'caltrain');
    expect(out.status).toBe('published');
    expect(out.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const trim = find(out.issues, 'leading_or_trailing_whitespaces')[0];
    expect(trim).toMatchObject({ severity: 'warning', file: 'caltrain_20160406.zip/routes.txt', line: 2 });
    const v = await getVersion(ctx.storage, 'gtfs.caltrain');
    expect(Object.fromEntries(v!.tables.map((t) => [t.name, t.rows]))).toMatchObject({
      stops: 95,
      trips: 218,
      stop_times: 3103,
      shapes: 3008,
      calendar_dates: 8,
    });
  });

  it('Google sample feed: 13 short stop_times rows padded (invalid_row_length, first at line 17), misspelled column noted', async () => {
    const out = await feed('google-sample-feed-1/sample-feed-1.zip', 'sample');
    expect(out.status).toBe('published');
    expect(find(out.issues, 'invalid_row_length')[0]).toMatchObject({
      severity: 'warning',
      file: 'sample-feed-1.zip/stop_times.txt',
      line: 17,
      count: 13,
    });
    expect(
      find(out.issues, 'unknown_column').some(
        (i) => i.file === 'sample-feed-1.zip/stop_times.txt' && i.message.includes('drop_off_time'),
      ),
    ).toBe(true);
    expect(out.rowsQuarantined).toBe(0);
  });

  it('tidytransit variant without stop_times.txt is rejected: missing_required_file', async () => {
    const out = await feed('google-sample-feed-1/variants/tidytransit-sample-feed-invalid.zip', 'invalid');
    expect(out.status).toBe('rejected');
    expect(find(out.issues, 'missing_required_file')[0]).toMatchObject({
      severity: 'error',
      file: 'stop_times.txt',
    });
    // its stops.txt also lacks stop_id
    expect(find(out.issues, 'missing_required_column')[0]).toMatchObject({
      file: 'tidytransit-sample-feed-invalid.zip/stops.txt',
      line: 1,
      column: 'stop_id',
    });
  });

  it('BOM, calendar_dates-only and extra-file variants ingest', async () => {
    const bom = await feed('google-sample-feed-1/variants/tidytransit-sample-feed-bom.zip', 'bom');
    expect(bom.status).toBe('published');
    const cd = await feed(
      'google-sample-feed-1/variants/tidytransit-sample-feed-calendar_dates.zip',
      'caldates',
    );
    expect(cd.status).toBe('published');
    const plus = await feed('google-sample-feed-1/variants/tidytransit-sample-feed-plus.zip', 'plus');
    expect(plus.status).toBe('published');
    expect(
      find(plus.issues, 'unknown_file')
        .map((i) => i.file?.split('/').at(-1))
        .sort(),
    ).toEqual(['empty_file.txt', 'nonstandard.txt', 'single_col.txt']);
  });

  it('West Palm trolley: rejected for the duplicated agency_timezone column; UTF-16 frequencies.txt is read', async () => {
    const out = await feed('west-palm-trolley-2016/west-palm-trolley-2016.repacked.zip', 'westpalm');
    expect(out.status).toBe('rejected');
    expect(find(out.issues, 'duplicated_column')[0]).toMatchObject({
      severity: 'error',
      file: 'west-palm-trolley-2016.repacked.zip/agency.txt',
      line: 1,
      column: 'agency_timezone',
    });
    expect(find(out.issues, 'encoding_transcoded')[0]?.file).toBe(
      'west-palm-trolley-2016.repacked.zip/frequencies.txt',
    );
    // the frequency-based trips 1–6 have no stop_times (validator unusable_trip)
    expect(find(out.issues, 'unusable_trip').length).toBe(6);
    expect(find(out.issues, 'service_has_no_active_day_of_the_week').length).toBeGreaterThan(0);
  });

  it('Cairns: no agency_id column is fine; 65 blank times interpolated and flagged', async () => {
    const out = await feed('cairns-2014/cairns_gtfs.zip', 'cairns');
    expect(out.status).toBe('published');
    expect(find(out.issues, 'interpolated_stop_times')[0]?.count).toBe(65);
    const v = await getVersion(ctx.storage, 'gtfs.cairns');
    const files = await Promise.all(
      v!.tables.find((t) => t.name === 'stop_times')!.files.map((k) => ctx.storage.localPath(k)),
    );
    const db = await ctx.db();
    const [r] = await queryRows<{ n: number; blank: number; bad: number }>(
      db,
      `select count(*) filter (where interpolated)::int as n, count(*) filter (where arrival_secs is null)::int as blank,
         count(*) filter (where interpolated and (arrival_secs < prev or arrival_secs > next))::int as bad
       from (select *, lag(departure_secs) over w as prev, lead(arrival_secs) over w as next from read_parquet($f)
             window w as (partition by trip_id order by stop_sequence))`,
      { f: files[0] },
    );
    expect(r).toEqual({ n: 65, blank: 0, bad: 0 });
  });

  it('tidytransit routing-NA-times: arrival or departure given alone is copied and flagged (6 rows, first at line 5)', async () => {
    const out = await feed('tidytransit-routing-synthetic/routing-NA-times.zip', 'routing-na');
    expect(out.status).toBe('published');
    const only = find(out.issues, 'stop_time_with_only_arrival_or_departure_time');
    expect(only.map((i) => i.line)).toEqual([5, 16, 17, 19, 20, 24]);
    expect(only[0]).toMatchObject({
      severity: 'warning',
      file: 'routing-NA-times.zip/stop_times.txt',
      column: 'arrival_time',
    });
  });

  it('Amtrak: __MACOSX junk ignored, times past 48:00:00 kept, 6 trips without stop times flagged', async () => {
    const out = await feed('amtrak-2021-10-06/amtrak-gtfs-2021-10-06.zip', 'amtrak');
    expect(out.status).toBe('published');
    expect(out.issues.filter((i) => i.file?.includes('__MACOSX'))).toEqual([]);
    const v = await getVersion(ctx.storage, 'gtfs.amtrak');
    const files = await Promise.all(
      v!.tables.find((t) => t.name === 'stop_times')!.files.map((k) => ctx.storage.localPath(k)),
    );
    const db = await ctx.db();
    const [r] = await queryRows<{ max: number; past24: number }>(
      db,
      'select max(arrival_secs)::int as max, count(*) filter (where arrival_secs >= 86400 or departure_secs >= 86400)::int as past24 from read_parquet($f)',
      { f: files[0] },
    );
    expect(r).toEqual({ max: 312720, past24: 6589 });
  });

  it('derhuerst sample-gtfs-feed: agencies in two time zones ingest with inconsistent_agency_timezone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sample-gtfs-'));
    execFileSync('tar', [
      'xzf',
      join(GTFS!, 'sample-gtfs-feed-0.13.0-synthetic/sample-gtfs-feed-0.13.0.tgz'),
      '-C',
      dir,
      'package/gtfs',
    ]);
    const out = await ingest(ctx, [join(dir, 'package/gtfs')], { dataset: 'gtfs', name: 'derhuerst' });
    expect(out.status).toBe('published');
    expect(find(out.issues, 'inconsistent_agency_timezone')[0]).toMatchObject({
      severity: 'warning',
      line: 3,
      value: 'Europe/Berlin',
    });
  });
});
