// RAPTOR on tidytransit's synthetic routing network (golden travel times from tidytransit's own
// tests, research/transit.md §8.1) and property tests on random timetables against a brute-force
// connection scan.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { runQueries } from '../../lib/engine/runner';
import { ingest } from '../../lib/ingest/ingest';
import { useFeeds } from '../../lib/transit/feeds';
import { loadNetwork } from '../../lib/transit/network';
import { RangeRaptor, UNREACHED } from '../../lib/transit/raptor/raptor';
import { buildTimetable, type TripInput } from '../../lib/transit/raptor/timetable';
import { tempCtx } from '../helpers';
import { sharedData } from '../shared-data';

const ROUTING = sharedData('gtfs/tidytransit-routing-synthetic/routing.zip');

describe.skipIf(!ROUTING)('RAPTOR on tidytransit routing.zip', () => {
  const ctx = tempCtx();
  afterAll(() => ctx.cleanup());

  it('matches tidytransit travel times from stop1a/stop1b over 07:00–08:00 (3,600 s window)', async () => {
    expect((await ingest(ctx, [ROUTING!], { dataset: 'gtfs', name: 'routing' })).status).toBe('published');
    const db = await ctx.db();
    await useFeeds(ctx, db, ['routing']);
    await runQueries(db, { targets: ['int_transit__stop_events'], params: { service_date: '2018-10-01' } });
    const net = await loadNetwork(db, {
      walk: { speed: 1, detour: 1, maxTransferSecs: 0 },
      from: 7 * 3600,
      to: 10 * 3600,
      eventTables: [{ table: 'int_transit__stop_events', shift: 0 }],
    });
    const idx = (s: string) => net.stopIndex.get(`routing\u0001${s}`)!;
    const raptor = new RangeRaptor(net.tt, { maxRides: 4, boardSlack: 0, maxDurationSecs: 7200 });
    const access = ['stop1a', 'stop1b'].map((s) => ({ stop: idx(s), secs: 0 }));
    const bestTt = new Map<string, { secs: number; rides: number }>();
    for (let t = 8 * 3600 - 60; t >= 7 * 3600; t -= 60) {
      raptor.search(t, access);
      for (const [k, i] of net.stopIndex) {
        const v = raptor.best[i]!;
        if (v >= UNREACHED) continue;
        const id = k.split('\u0001')[1]!;
        const cur = bestTt.get(id);
        if (!cur || v - t < cur.secs) bestTt.set(id, { secs: v - t, rides: raptor.bestRides[i]! });
      }
    }
    const secs = Object.fromEntries([...bestTt].map(([k, v]) => [k, v.secs]));
    expect(secs).toMatchObject({
      stop2: 240,
      stop3a: 370,
      stop3b: 360,
      stop4: 1200,
      stop5: 300,
      stop6: 600,
      stop7: 900,
      stop8a: 730,
      stop8b: 720,
    });
    // tidytransit travel_times from "One": transfers 1 to Four and Seven, 0 elsewhere
    expect(bestTt.get('stop4')!.rides).toBe(2);
    expect(bestTt.get('stop7')!.rides).toBe(2);
    expect(bestTt.get('stop2')!.rides).toBe(1);
  });
});

// --- property tests -------------------------------------------------------------------------

interface Net {
  coords: { lat: number; lon: number }[];
  trips: TripInput[];
}

const WALK = { speed: 1, detour: 1.3, maxTransferSecs: 300 };

const netArb = fc
  .record({
    stops: fc.array(
      fc.record({ lat: fc.integer({ min: 0, max: 20 }), lon: fc.integer({ min: 0, max: 20 }) }),
      { minLength: 3, maxLength: 8 },
    ),
    trips: fc.array(
      fc.record({
        route: fc.integer({ min: 0, max: 3 }),
        start: fc.integer({ min: 25_000, max: 30_000 }),
        legs: fc.array(
          fc.record({
            stop: fc.nat(),
            run: fc.integer({ min: 30, max: 900 }),
            dwell: fc.integer({ min: 0, max: 120 }),
          }),
          { minLength: 2, maxLength: 5 },
        ),
        noBoard: fc.nat(),
      }),
      { minLength: 1, maxLength: 7 },
    ),
  })
  .map(({ stops, trips }): Net => {
    // stops on a ~50 m grid so some are within walking distance of each other
    const coords = stops.map((s) => ({ lat: 40 + s.lat * 0.00045, lon: -75 + s.lon * 0.0006 }));
    const out: TripInput[] = trips.map((t, i) => {
      const seq: number[] = [];
      for (const l of t.legs) {
        const s = l.stop % coords.length;
        if (seq.at(-1) !== s) seq.push(s);
      }
      if (seq.length < 2) seq.push((seq[0]! + 1) % coords.length);
      const arrivals: number[] = [];
      const departures: number[] = [];
      let clock = t.start;
      seq.forEach((_, j) => {
        if (j > 0) clock += t.legs[j % t.legs.length]!.run;
        arrivals.push(clock);
        clock += j > 0 ? t.legs[j % t.legs.length]!.dwell : 0;
        departures.push(clock);
      });
      const canBoard = seq.map((_, j) => j !== t.noBoard % (seq.length + 2));
      return { routeKey: `r${t.route}`, stops: seq, arrivals, departures, canBoard, label: `t${i}` };
    });
    return { coords, trips: out };
  });

/** Brute-force earliest arrival (connection scan, footpaths only after a vehicle, never chained). */
function connectionScan(net: Net, origin: number, departure: number, slack: number) {
  const S = net.coords.length;
  const ea = new Array(S).fill(UNREACHED);
  ea[origin] = departure;
  const tt = buildTimetable(net.coords, [], [], WALK);
  const conns: { trip: number; j: number }[] = [];
  net.trips.forEach((t, i) => {
    for (let j = 0; j + 1 < t.stops.length; j++) conns.push({ trip: i, j });
  });
  conns.sort((a, b) => net.trips[a.trip]!.departures[a.j]! - net.trips[b.trip]!.departures[b.j]!);
  const onboard = new Array(net.trips.length).fill(false);
  for (const c of conns) {
    const t = net.trips[c.trip]!;
    const from = t.stops[c.j]!;
    if (!onboard[c.trip] && t.canBoard![c.j] && ea[from] + slack <= t.departures[c.j]!)
      onboard[c.trip] = true;
    if (!onboard[c.trip]) continue;
    const to = t.stops[c.j + 1]!;
    const arr = t.arrivals[c.j + 1]!;
    if (arr < ea[to]) ea[to] = arr;
    for (let f = tt.footStart[to]!; f < tt.footStart[to + 1]!; f++) {
      const u = tt.footTo[f]!;
      if (arr + tt.footSecs[f]! < ea[u]) ea[u] = arr + tt.footSecs[f]!;
    }
  }
  return ea;
}

function raptorFor(net: Net, slack = 0) {
  return new RangeRaptor(buildTimetable(net.coords, net.trips, [], WALK), {
    maxRides: 10,
    boardSlack: slack,
    maxDurationSecs: 10 * 3600,
  });
}

describe('RAPTOR properties', () => {
  it('every reported arrival is a feasible journey in the timetable, and the earliest (brute-force scan), across a range search', () => {
    fc.assert(
      fc.property(netArb, fc.nat(), fc.integer({ min: 0, max: 120 }), (net, o, slack) => {
        const origin = o % net.coords.length;
        const r = raptorFor(net, slack);
        for (let t = 30_000; t >= 24_000; t -= 600) {
          r.search(t, [{ stop: origin, secs: 0 }]);
          expect(Array.from(r.best)).toEqual(connectionScan(net, origin, t, slack));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('departing later never arrives earlier', () => {
    fc.assert(
      fc.property(
        netArb,
        fc.nat(),
        fc.integer({ min: 24_000, max: 31_000 }),
        fc.integer({ min: 1, max: 3600 }),
        (net, o, t, d) => {
          const origin = o % net.coords.length;
          const early = raptorFor(net);
          early.search(t, [{ stop: origin, secs: 0 }]);
          const late = raptorFor(net);
          late.search(t + d, [{ stop: origin, secs: 0 }]);
          for (let s = 0; s < net.coords.length; s++)
            expect(early.best[s]!).toBeLessThanOrEqual(late.best[s]!);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('adding a trip never makes any travel time longer', () => {
    fc.assert(
      fc.property(netArb, netArb, fc.nat(), fc.integer({ min: 24_000, max: 31_000 }), (net, extra, o, t) => {
        const origin = o % net.coords.length;
        const trip = extra.trips[0]!;
        const added: Net = {
          coords: net.coords,
          trips: [...net.trips, { ...trip, stops: trip.stops.map((s) => s % net.coords.length) }],
        };
        if (added.trips.at(-1)!.stops.some((s, j, a) => j > 0 && a[j - 1] === s)) return;
        const before = raptorFor(net);
        before.search(t, [{ stop: origin, secs: 0 }]);
        const after = raptorFor(added);
        after.search(t, [{ stop: origin, secs: 0 }]);
        for (let s = 0; s < net.coords.length; s++)
          expect(after.best[s]!).toBeLessThanOrEqual(before.best[s]!);
      }),
      { numRuns: 200 },
    );
  });
});
