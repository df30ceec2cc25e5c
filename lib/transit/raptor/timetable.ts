// The timetable RAPTOR scans (Delling, Pajor, Werneck, "Round-Based Public Transit Routing",
// ALENEX 2012): trips grouped into patterns (same route, same stop sequence), each pattern's trips
// sorted by departure and split so no trip overtakes another (RAPTOR's binary search needs it),
// flattened into typed arrays; plus footpaths between nearby stops (straight line × detour ÷ speed)
// with transfers.txt taking precedence.

export interface TripInput {
  /** Trips with the same key and stop sequence form one pattern (route id, or feed+route). */
  routeKey: string;
  stops: number[];
  arrivals: number[];
  departures: number[];
  /** false where pickup_type = 1 / drop_off_type = 1. */
  canBoard?: boolean[];
  canAlight?: boolean[];
  /** Any label carried to journeys (trip id). */
  label?: string;
}

export interface WalkOptions {
  /** metres per second (r5r's default 3.6 km/h = 1.0 m/s). */
  speed: number;
  /** network distance ÷ straight-line distance. */
  detour: number;
  /** longest footpath between stops, in seconds of walking. */
  maxTransferSecs: number;
}

export interface TransferInput {
  from: number;
  to: number;
  /** seconds (transfers.txt min_transfer_time), or null: walk by distance. */
  secs: number | null;
  /** transfer_type 3: not possible. */
  forbidden?: boolean;
}

export interface Timetable {
  stopCount: number;
  patternCount: number;
  /** Pattern p's stops: patternStops[patternStopStart[p] .. patternStopStart[p+1]). */
  patternStopStart: Int32Array;
  patternStops: Int32Array;
  /** Pattern p's trips: tripStart[p] .. tripStart[p+1] (global trip indexes, sorted by departure). */
  tripStart: Int32Array;
  /** Trip t's times at its j-th stop: times[timeStart[t] + j]. */
  timeStart: Int32Array;
  arr: Int32Array;
  dep: Int32Array;
  board: Uint8Array;
  alight: Uint8Array;
  tripLabel: string[];
  /** Patterns serving stop s: (pattern, position) pairs at stopPatternStart[s] ... */
  stopPatternStart: Int32Array;
  stopPatternP: Int32Array;
  stopPatternI: Int32Array;
  /** Footpaths from stop s: footTo/footSecs[footStart[s] .. footStart[s+1]). */
  footStart: Int32Array;
  footTo: Int32Array;
  footSecs: Int32Array;
}

export function haversineM(lat1: number, lon1: number, lat2: number, lon2: number) {
  const r = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * r) / 2) ** 2 +
    Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.min(1, Math.sqrt(a)));
}

export function walkSecs(meters: number, walk: WalkOptions) {
  return Math.round((meters * walk.detour) / walk.speed);
}

export function buildTimetable(
  coords: { lat: number; lon: number }[],
  trips: TripInput[],
  transfers: TransferInput[],
  walk: WalkOptions,
): Timetable {
  const groups = new Map<string, TripInput[]>();
  for (const t of trips) {
    if (t.stops.length < 2) continue;
    const key = `${t.routeKey}\u0001${t.stops.join(',')}`;
    const g = groups.get(key);
    if (g) g.push(t);
    else groups.set(key, [t]);
  }
  // Split each group into FIFO sub-patterns: a trip joins the first sub-pattern whose last trip it
  // never overtakes (departs and arrives no earlier at every stop).
  const patterns: TripInput[][] = [];
  for (const g of groups.values()) {
    g.sort((a, b) => a.departures[0]! - b.departures[0]! || a.arrivals.at(-1)! - b.arrivals.at(-1)!);
    const subs: TripInput[][] = [];
    for (const t of g) {
      const fit = subs.find((s) => {
        const last = s.at(-1)!;
        return t.departures.every((d, j) => d >= last.departures[j]! && t.arrivals[j]! >= last.arrivals[j]!);
      });
      if (fit) fit.push(t);
      else subs.push([t]);
    }
    patterns.push(...subs);
  }
  const P = patterns.length;
  const S = coords.length;
  const patternStopStart = new Int32Array(P + 1);
  const tripStart = new Int32Array(P + 1);
  let nStops = 0;
  let nTrips = 0;
  let nTimes = 0;
  patterns.forEach((p, i) => {
    patternStopStart[i] = nStops;
    tripStart[i] = nTrips;
    nStops += p[0]!.stops.length;
    nTrips += p.length;
    nTimes += p.length * p[0]!.stops.length;
  });
  patternStopStart[P] = nStops;
  tripStart[P] = nTrips;
  const patternStops = new Int32Array(nStops);
  const timeStart = new Int32Array(nTrips + 1);
  const arr = new Int32Array(nTimes);
  const dep = new Int32Array(nTimes);
  const board = new Uint8Array(nTimes);
  const alight = new Uint8Array(nTimes);
  const tripLabel: string[] = new Array(nTrips);
  let t = 0;
  let k = 0;
  const perStop: number[][] = Array.from({ length: S }, () => []);
  patterns.forEach((p, pi) => {
    const stops = p[0]!.stops;
    stops.forEach((s, j) => {
      patternStops[patternStopStart[pi]! + j] = s;
      perStop[s]!.push(pi, j);
    });
    for (const trip of p) {
      timeStart[t] = k;
      tripLabel[t] = trip.label ?? '';
      for (let j = 0; j < stops.length; j++) {
        arr[k] = trip.arrivals[j]!;
        dep[k] = trip.departures[j]!;
        board[k] = trip.canBoard?.[j] === false ? 0 : 1;
        alight[k] = trip.canAlight?.[j] === false ? 0 : 1;
        k++;
      }
      t++;
    }
  });
  timeStart[nTrips] = k;
  const stopPatternStart = new Int32Array(S + 1);
  let sp = 0;
  for (let s = 0; s < S; s++) {
    stopPatternStart[s] = sp;
    sp += perStop[s]!.length / 2;
  }
  stopPatternStart[S] = sp;
  const stopPatternP = new Int32Array(sp);
  const stopPatternI = new Int32Array(sp);
  for (let s = 0, o = 0; s < S; s++) {
    const l = perStop[s]!;
    for (let i = 0; i < l.length; i += 2, o++) {
      stopPatternP[o] = l[i]!;
      stopPatternI[o] = l[i + 1]!;
    }
  }
  const foot = footpaths(coords, transfers, walk);
  return {
    stopCount: S,
    patternCount: P,
    patternStopStart,
    patternStops,
    tripStart,
    timeStart,
    arr,
    dep,
    board,
    alight,
    tripLabel,
    stopPatternStart,
    stopPatternP,
    stopPatternI,
    ...foot,
  };
}

/** Stops within the walking limit of each other (grid-bucketed), overridden by transfers.txt. */
function footpaths(coords: { lat: number; lon: number }[], transfers: TransferInput[], walk: WalkOptions) {
  const S = coords.length;
  const maxM = (walk.maxTransferSecs * walk.speed) / walk.detour;
  const edges = new Map<number, Map<number, number>>();
  const set = (a: number, b: number, secs: number | null) => {
    let m = edges.get(a);
    if (!m) {
      m = new Map();
      edges.set(a, m);
    }
    if (secs === null) m.delete(b);
    else m.set(b, secs);
  };
  const cell = maxM / 111_320 || 1e-9;
  const grid = new Map<string, number[]>();
  coords.forEach((c, i) => {
    if (!Number.isFinite(c.lat) || !Number.isFinite(c.lon)) return;
    const key = `${Math.floor(c.lat / cell)},${Math.floor(c.lon / cell)}`;
    const l = grid.get(key);
    if (l) l.push(i);
    else grid.set(key, [i]);
  });
  const lonCells = (lat: number) => Math.ceil(1 / Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
  coords.forEach((c, i) => {
    if (!Number.isFinite(c.lat) || !Number.isFinite(c.lon) || maxM <= 0) return;
    const gy = Math.floor(c.lat / cell);
    const gx = Math.floor(c.lon / cell);
    const w = lonCells(c.lat);
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -w; dx <= w; dx++) {
        for (const j of grid.get(`${gy + dy},${gx + dx}`) ?? []) {
          if (j === i) continue;
          const m = haversineM(c.lat, c.lon, coords[j]!.lat, coords[j]!.lon);
          if (m <= maxM) set(i, j, walkSecs(m, walk));
        }
      }
    }
  });
  for (const tr of transfers) {
    if (tr.from === tr.to) continue;
    if (tr.forbidden) set(tr.from, tr.to, null);
    else if (tr.secs !== null) set(tr.from, tr.to, tr.secs);
    else {
      const a = coords[tr.from]!;
      const b = coords[tr.to]!;
      set(tr.from, tr.to, walkSecs(haversineM(a.lat, a.lon, b.lat, b.lon), walk));
    }
  }
  const footStart = new Int32Array(S + 1);
  let n = 0;
  for (let s = 0; s < S; s++) {
    footStart[s] = n;
    n += edges.get(s)?.size ?? 0;
  }
  footStart[S] = n;
  const footTo = new Int32Array(n);
  const footSecs = new Int32Array(n);
  for (let s = 0, o = 0; s < S; s++) {
    for (const [to, secs] of edges.get(s) ?? []) {
      footTo[o] = to;
      footSecs[o] = secs;
      o++;
    }
  }
  return { footStart, footTo, footSecs };
}
