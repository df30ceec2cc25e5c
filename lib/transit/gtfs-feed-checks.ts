// Checks across GTFS files (references between tables, trips and calendars), run on the text
// tables so every notice keeps its file and line. Dangling references drop the row (the
// validator's foreign_key_violation); trip-level problems are repaired or excluded and reported.

import type { IngestJob } from '../ingest/job';
import type { CsvRead } from '../ingest/read-csv';
import { notice } from './notices';

export type Reads = Partial<Record<string, CsvRead>>;

export async function referenceChecks(job: IngestJob, reads: Reads) {
  const fk = async (from: string, column: string, to: string, toColumn: string, when = 'true') => {
    const a = reads[from];
    const b = reads[to];
    if (!a || !b || !a.present.includes(column)) return;
    await job.checkRows(a, [
      {
        code: 'foreign_key_violation',
        severity: 'error',
        column,
        where: `${when} and ${column} is not null and trim(${column}) <> '' and ${column} not in (select ${toColumn} from ${b.table} where ${toColumn} is not null)`,
        message: `${column} is not defined in ${b.file.name.split('/').at(-1)}`,
        fix: `add it to ${to}.txt or correct the id; the row was left out`,
      },
    ]);
  };
  await fk('trips', 'route_id', 'routes', 'route_id');
  await fk('stop_times', 'trip_id', 'trips', 'trip_id');
  await fk('stop_times', 'stop_id', 'stops', 'stop_id');
  await fk('frequencies', 'trip_id', 'trips', 'trip_id');
  await fk('transfers', 'from_stop_id', 'stops', 'stop_id');
  await fk('transfers', 'to_stop_id', 'stops', 'stop_id');
  if (reads.agency?.present.includes('agency_id')) await fk('routes', 'agency_id', 'agency', 'agency_id');
}

export async function tripChecks(job: IngestJob, reads: Reads) {
  const st = reads.stop_times;
  if (st) {
    const edges = `(select trip_id, min(try_cast(stop_sequence as integer)) lo, max(try_cast(stop_sequence as integer)) hi from ${st.table} group by trip_id)`;
    await job.checkRows(st, [
      {
        code: 'stop_time_with_only_arrival_or_departure_time',
        severity: 'warning',
        column: 'arrival_time',
        where: `(arrival_time is null) <> (departure_time is null)`,
        message: 'only one of arrival_time and departure_time is given; the other was set equal to it',
        fix: 'give both times (equal if the vehicle does not dwell)',
      },
      {
        code: 'missing_trip_edge',
        severity: 'warning',
        column: 'arrival_time',
        where: `arrival_time is null and departure_time is null and (trip_id, try_cast(stop_sequence as integer)) in (select (trip_id, lo) from ${edges} union all select (trip_id, hi) from ${edges})`,
        message:
          'the first and last stop of a trip must have times; this trip is left out of time-based measures',
        fix: 'give times at the first and last stop',
      },
    ]);
  }
  const trips = reads.trips;
  if (trips && st) {
    await job.checkRows(trips, [
      {
        code: 'unusable_trip',
        severity: 'warning',
        column: 'trip_id',
        where: `trip_id not in (select trip_id from ${st.table} where trip_id is not null group by trip_id having count(*) >= 2)`,
        message: 'the trip has fewer than two stop times, so it serves nothing; it is left out',
        fix: 'add its stop_times or remove the trip',
      },
    ]);
  }
  const cal = reads.calendar;
  if (cal) {
    await job.checkRows(cal, [
      {
        code: 'service_has_no_active_day_of_the_week',
        severity: 'warning',
        column: 'service_id',
        where: `coalesce(monday, '0') = '0' and coalesce(tuesday, '0') = '0' and coalesce(wednesday, '0') = '0' and coalesce(thursday, '0') = '0' and coalesce(friday, '0') = '0' and coalesce(saturday, '0') = '0' and coalesce(sunday, '0') = '0'`,
        message: 'this service runs on no day of the week; only calendar_dates additions can make it run',
      },
    ]);
  }
}

/** agency_timezone: a valid IANA zone, the same for every agency (reference.md agency.txt). */
export function timezoneCheck(
  job: IngestJob,
  zones: { tz: string | null; line: number }[],
  file: string,
): string | null {
  const valid = (tz: string) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  };
  let first: string | null = null;
  for (const z of zones) {
    if (!z.tz || !valid(z.tz)) {
      notice(job.issues, 'invalid_timezone', 'error', {
        file,
        line: z.line,
        column: 'agency_timezone',
        value: z.tz ?? '',
        message: `"${z.tz ?? ''}" is not an IANA time zone; stop times cannot be placed in time`,
        fix: 'use a zone such as America/Chicago',
      });
      continue;
    }
    if (first === null) first = z.tz;
    else if (z.tz !== first) {
      notice(job.issues, 'inconsistent_agency_timezone', 'warning', {
        file,
        line: z.line,
        column: 'agency_timezone',
        value: z.tz,
        message: `agencies of one feed must share a time zone; ${z.tz} differs from ${first}, and ${first} is used for every time`,
        fix: 'split the feed per time zone, or correct the zone',
      });
    }
  }
  return first;
}
