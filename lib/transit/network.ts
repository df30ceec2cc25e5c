// Loads the RAPTOR timetable for one service date from the computed stop events (feeds already
// registered, int_transit__stop_events materialised): stops with coordinates, trips overlapping
// the departure window, transfers.txt. Trips of the previous service date that run past midnight
// (GTFS times ≥ 24:00) are added shifted by −24 h when given.
import type { Db } from '../engine/duckdb';
import {
  buildTimetable,
  type Timetable,
  type TransferInput,
  type TripInput,
  type WalkOptions,
} from './raptor/timetable';

export interface Network {
  tt: Timetable;
  stopKeys: string[];
  stopIndex: Map<string, number>;
  coords: { lat: number; lon: number }[];
  /** parent_station of each stop (for grouping platforms into stations). */
  parents: (string | null)[];
  trips: number;
}

const key = (feed: string, stop: string) => `${feed}\u0001${stop}`;

async function columns(db: Db, sql: string, params: Record<string, unknown> = {}) {
  const reader = await db.runAndReadAll(sql, params as never);
  return reader.getColumnsObjectJS() as Record<string, unknown[]>;
}

export async function loadNetwork(
  db: Db,
  opts: { walk: WalkOptions; from: number; to: number; eventTables: { table: string; shift: number }[] },
): Promise<Network> {
  const s = await columns(
    db,
    `select feed_id, stop_id, stop_lat, stop_lon, parent_station from gtfs_stops
     where coalesce(location_type, 0) = 0 and stop_lat is not null and stop_lon is not null order by feed_id, stop_id`,
  );
  const stopKeys = (s.feed_id as string[]).map((f, i) => key(f, (s.stop_id as string[])[i]!));
  const stopIndex = new Map(stopKeys.map((k, i) => [k, i]));
  const coords = (s.stop_lat as number[]).map((lat, i) => ({ lat, lon: (s.stop_lon as number[])[i]! }));
  const parents = (s.parent_station as (string | null)[]).map((p, i) =>
    p ? key((s.feed_id as string[])[i]!, p) : null,
  );
  const trips: TripInput[] = [];
  for (const { table, shift } of opts.eventTables) {
    if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`bad table name ${table}`);
    const e = await columns(
      db,
      `with span as (
         select feed_id, trip_id, instance from ${table}
         group by all
         having max(arrival_secs) + $shift >= $from and min(departure_secs) + $shift <= $to
       )
       select feed_id, trip_id, instance, route_id, stop_id, (arrival_secs + $shift)::integer as arr, (departure_secs + $shift)::integer as dep,
         coalesce(pickup_type, 0) <> 1 as board, coalesce(drop_off_type, 0) <> 1 as alight
       from ${table} semi join span using (feed_id, trip_id, instance)
       where arrival_secs is not null and departure_secs is not null
       order by feed_id, trip_id, instance, stop_sequence`,
      { shift, from: opts.from, to: opts.to },
    );
    const n = (e.trip_id as string[]).length;
    let cur: TripInput | null = null;
    let curKey = '';
    for (let i = 0; i < n; i++) {
      const feed = (e.feed_id as string[])[i]!;
      const tk = `${feed}\u0001${(e.trip_id as string[])[i]}\u0001${(e.instance as number[])[i]}`;
      const stop = stopIndex.get(key(feed, (e.stop_id as string[])[i]!));
      if (tk !== curKey) {
        cur = {
          routeKey: `${feed}\u0001${(e.route_id as string[])[i]}`,
          stops: [],
          arrivals: [],
          departures: [],
          canBoard: [],
          canAlight: [],
          label: tk,
        };
        curKey = tk;
        trips.push(cur);
      }
      if (stop === undefined || !cur) continue;
      cur.stops.push(stop);
      cur.arrivals.push((e.arr as number[])[i]!);
      cur.departures.push((e.dep as number[])[i]!);
      cur.canBoard!.push((e.board as boolean[])[i]!);
      cur.canAlight!.push((e.alight as boolean[])[i]!);
    }
  }
  const t = await columns(
    db,
    'select feed_id, from_stop_id, to_stop_id, transfer_type, min_transfer_time from gtfs_transfers',
  );
  const transfers: TransferInput[] = [];
  for (let i = 0; i < (t.feed_id as string[]).length; i++) {
    const f = (t.feed_id as string[])[i]!;
    const from = stopIndex.get(key(f, String((t.from_stop_id as string[])[i])));
    const to = stopIndex.get(key(f, String((t.to_stop_id as string[])[i])));
    if (from === undefined || to === undefined) continue;
    const type = (t.transfer_type as number[])[i] ?? 0;
    const min = (t.min_transfer_time as (number | null)[])[i] ?? null;
    transfers.push({ from, to, secs: type === 2 ? min : null, forbidden: type === 3 });
  }
  return {
    tt: buildTimetable(coords, trips, transfers, opts.walk),
    stopKeys,
    stopIndex,
    coords,
    parents,
    trips: trips.length,
  };
}
