// GTFS ingest through the framework: pick the files, repair lines, read each file as text with
// explicit options, check values and references (notices with file/line), build typed tables,
// interpolate blank stop times, publish. Policy (research/transit.md §1.8): a missing or unreadable
// required file rejects the feed; bad rows are dropped into the quarantine; repairs are warned.
import { ident, queryRows } from '../engine/duckdb';
import { runQueries } from '../engine/runner';
import type { IngestJob } from '../ingest/job';
import { type CsvRead, lineOfRow } from '../ingest/read-csv';
import type { SourceFile } from '../ingest/sources';
import { asUtf8 } from '../ingest/text';
import { type Reads, referenceChecks, timezoneCheck, tripChecks } from './gtfs-feed-checks';
import { normaliseGtfsFile } from './gtfs-normalise';
import { typedSelect, valueChecks } from './gtfs-parse';
import { GTFS_FILES, type GtfsFile, KNOWN_UNUSED_FILES, readSpec } from './gtfs-spec';
import { notice } from './notices';

export async function ingestGtfs(job: IngestJob) {
  const feedId = job.datasetId.replace(/^gtfs\./, '');
  const files = pickFiles(job);
  const reads: Reads = {};
  for (const spec of GTFS_FILES) {
    const file = files.get(spec.file);
    if (!file) {
      if (spec.presence === 'required') {
        notice(job.issues, 'missing_required_file', 'error', {
          file: spec.file,
          message: `${spec.file} is required and missing from the feed`,
          fix: `add ${spec.file} at the root of the zip`,
        });
      }
      continue;
    }
    const read = await readFile(job, file, spec);
    if (read) reads[spec.table] = read;
  }
  if (!files.has('calendar.txt') && !files.has('calendar_dates.txt')) {
    notice(job.issues, 'missing_calendar_and_calendar_date_files', 'error', {
      message: 'neither calendar.txt nor calendar_dates.txt is present, so no trip has a service date',
      fix: 'add calendar.txt and/or calendar_dates.txt',
    });
  }
  // Checks go on when a file was refused, so one report lists every problem of the feed.
  await referenceChecks(job, reads);
  await tripChecks(job, reads);
  const agency = reads.agency;
  if (agency) {
    const zones = await queryRows<{ tz: string | null; r: number }>(
      job.db,
      `select trim(agency_timezone) as tz, __row as r from ${agency.table} order by __row`,
    );
    timezoneCheck(
      job,
      zones.map((z) => ({ tz: z.tz, line: lineOfRow(agency.table, z.r) })),
      agency.file.name,
    );
  }
  for (const spec of GTFS_FILES) {
    const source = reads[spec.table]?.table ?? (await emptyText(job, spec));
    await job.db.run(
      `create or replace table ${ident(`gtfs_${spec.table}_typed`)} as ${typedSelect(spec, source)}`,
      { feed_id: feedId } as never,
    );
  }
  await runQueries(job.db, {
    targets: ['int_gtfs__stop_times_interpolated'],
    inputs: {
      gtfs_stop_times_parsed: { kind: 'table', table: 'gtfs_stop_times_typed' },
      gtfs_stops_parsed: { kind: 'table', table: 'gtfs_stops_typed' },
    },
  });
  const [filled] = await queryRows<{ n: number; trips: number }>(
    job.db,
    'select count(*)::integer as n, count(distinct trip_id)::integer as trips from int_gtfs__stop_times_interpolated where interpolated',
  );
  if (filled && filled.n > 0) {
    job.issues.info({
      code: 'interpolated_stop_times',
      file: reads.stop_times?.file.name,
      message: `${filled.n} blank arrival/departure times on ${filled.trips} trip(s) were interpolated by distance between the timed stops (column interpolated = true)`,
      count: filled.n,
    });
  }
  for (const spec of GTFS_FILES) {
    const table =
      spec.table === 'stop_times' ? 'int_gtfs__stop_times_interpolated' : `gtfs_${spec.table}_typed`;
    job.publish({
      name: spec.table,
      table,
      orderBy: ['feed_id', ...spec.key.map((k) => k.replace(/_time$/, '_secs'))],
      geometry: spec.table === 'stops' ? { lon: 'stop_lon', lat: 'stop_lat' } : undefined,
    });
  }
}

/** One file per GTFS name, at the zip root (or, repaired with a warning, in one sub-folder). */
function pickFiles(job: IngestJob) {
  const out = new Map<string, SourceFile>();
  const known = new Set(GTFS_FILES.map((f) => f.file));
  let nested: string | undefined;
  for (const f of job.files) {
    const parts = f.name.split('/');
    const base = parts.at(-1)!;
    const inZip = parts.findIndex((p) => p.toLowerCase().endsWith('.zip'));
    const depth = parts.length - 1 - (inZip >= 0 ? inZip + 1 : 0);
    if (known.has(base)) {
      if (out.has(base)) {
        job.issues.error({
          code: 'several_feeds',
          file: f.name,
          message: `more than one ${base}: give one feed per ingest`,
          fix: 'ingest each feed with its own --name',
        });
        continue;
      }
      if (depth > 0) nested ??= f.name;
      out.set(base, f);
    } else if (!KNOWN_UNUSED_FILES.has(base)) {
      notice(job.issues, 'unknown_file', 'info', {
        file: f.name,
        message: 'not a GTFS Schedule file; ignored',
      });
    }
  }
  if (nested) {
    notice(job.issues, 'invalid_input_files_in_subfolder', 'warning', {
      file: nested,
      message: 'GTFS files must be at the root of the zip; they were read from the sub-folder',
      fix: 'zip the files themselves, not their folder',
    });
  }
  return out;
}

async function readFile(job: IngestJob, file: SourceFile, spec: GtfsFile): Promise<CsvRead | null> {
  const utf8 = await asUtf8(file, job.scratch, job.issues);
  if (!utf8) return null;
  const norm = await normaliseGtfsFile(
    utf8,
    job.scratchPath(`gtfs-${spec.table}.csv`),
    spec,
    file.name,
    job.issues,
  );
  if (!norm) return null;
  if (norm.rows === 0 && spec.presence === 'required') {
    notice(job.issues, 'empty_file', 'error', {
      file: file.name,
      message: `${spec.file} has a header but no rows`,
      fix: 'export the file again',
    });
    return null;
  }
  const read = await job.readTable({ ...file, localPath: norm.path }, readSpec(spec));
  if (!read) return null;
  await job.checkRows(read, valueChecks(spec, read.table, norm.header));
  return read;
}

/** A text table with the spec's columns and no rows, for optional files the feed leaves out. */
async function emptyText(job: IngestJob, spec: GtfsFile) {
  const name = `gtfs_${spec.table}_absent`;
  await job.db.run(
    `create or replace table ${ident(name)} (__row bigint, ${spec.columns.map((c) => `${ident(c.name)} varchar`).join(', ')})`,
  );
  return name;
}
