// r5-style cumulative-opportunity accessibility (research/transit.md §3.2): for every origin zone,
// a range-RAPTOR search at each minute of the departure window; each destination zone gets one
// travel time per minute (door to door: walk to a stop, ride, walk from a stop, or walk directly);
// the p-th percentile of those times is the element at ceil(p/100·N) − 1 of the sorted list
// (non-interpolated, as r5's TravelTimeReducer); opportunities count when that time < the cutoff.
// Walking has no street network: straight line × detour ÷ speed, capped (both in the lineage).
import type { Network } from './network';
import { RangeRaptor, UNREACHED } from './raptor/raptor';
import { haversineM, type WalkOptions } from './raptor/timetable';

export interface Zone {
  id: string;
  lat: number;
  lon: number;
  opportunities: number;
}

export interface AccessibilityOptions {
  /** Departure window [from, to) in GTFS seconds, one search per minute. */
  from: number;
  to: number;
  cutoffsMin: number[];
  percentiles: number[];
  walk: WalkOptions;
  /** Longest walk to the first stop, from the last stop, or directly (seconds). */
  maxAccessSecs: number;
  maxRides: number;
  boardSlack: number;
  maxDurationSecs: number;
}

interface Links {
  start: Int32Array;
  to: Int32Array;
  secs: Int32Array;
}

/** Zone → stop walking links within maxSecs (grid on latitude/longitude). */
function link(
  from: { lat: number; lon: number }[],
  to: { lat: number; lon: number }[],
  walk: WalkOptions,
  maxSecs: number,
): Links {
  const maxM = (maxSecs * walk.speed) / walk.detour;
  const cell = Math.max(maxM / 111_320, 1e-9);
  const grid = new Map<string, number[]>();
  to.forEach((c, i) => {
    const key = `${Math.floor(c.lat / cell)},${Math.floor(c.lon / cell)}`;
    const l = grid.get(key);
    if (l) l.push(i);
    else grid.set(key, [i]);
  });
  const start = new Int32Array(from.length + 1);
  const outTo: number[] = [];
  const outSecs: number[] = [];
  from.forEach((c, i) => {
    start[i] = outTo.length;
    const gy = Math.floor(c.lat / cell);
    const gx = Math.floor(c.lon / cell);
    const w = Math.ceil(1 / Math.max(0.01, Math.cos((c.lat * Math.PI) / 180)));
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -w; dx <= w; dx++) {
        for (const j of grid.get(`${gy + dy},${gx + dx}`) ?? []) {
          const m = haversineM(c.lat, c.lon, to[j]!.lat, to[j]!.lon);
          const secs = Math.round((m * walk.detour) / walk.speed);
          if (secs <= maxSecs) {
            outTo.push(j);
            outSecs.push(secs);
          }
        }
      }
    }
  });
  start[from.length] = outTo.length;
  return { start, to: Int32Array.from(outTo), secs: Int32Array.from(outSecs) };
}

/**
 * Accessibility of every origin zone. `onOrigin` receives, per origin, the opportunities reached
 * for each (percentile, cutoff) in the order of opts.percentiles × opts.cutoffsMin.
 */
export function computeAccessibility(
  net: Pick<Network, 'tt' | 'coords'>,
  zones: Zone[],
  opts: AccessibilityOptions,
  onOrigin?: (done: number, total: number) => void,
  /** Origins [from, to) to compute (default: all); the other rows of the result stay 0. */
  origins: [number, number] = [0, zones.length],
): Float64Array {
  const Z = zones.length;
  const minutes: number[] = [];
  for (let t = opts.from; t < opts.to; t += 60) minutes.push(t);
  const N = minutes.length;
  if (N === 0) throw new Error('the departure window is empty');
  const zoneStops = link(zones, net.coords, opts.walk, opts.maxAccessSecs);
  const direct = link(zones, zones, opts.walk, opts.maxAccessSecs);
  // stop → zones it serves on foot (egress), the transpose of zoneStops
  const S = net.coords.length;
  const counts = new Int32Array(S + 1);
  for (let i = 0; i < zoneStops.to.length; i++) counts[zoneStops.to[i]! + 1]!++;
  for (let s = 0; s < S; s++) counts[s + 1]! += counts[s]!;
  const egressZone = new Int32Array(zoneStops.to.length);
  const egressSecs = new Int32Array(zoneStops.to.length);
  const fill = counts.slice(0, S);
  for (let z = 0; z < Z; z++) {
    for (let o = zoneStops.start[z]!; o < zoneStops.start[z + 1]!; o++) {
      const s = zoneStops.to[o]!;
      const at = fill[s]!++;
      egressZone[at] = z;
      egressSecs[at] = zoneStops.secs[o]!;
    }
  }
  const raptor = new RangeRaptor(net.tt, {
    maxRides: opts.maxRides,
    boardSlack: opts.boardSlack,
    maxDurationSecs: opts.maxDurationSecs,
  });
  const P = opts.percentiles.length;
  const C = opts.cutoffsMin.length;
  const out = new Float64Array(Z * P * C);
  const times = new Int32Array(Z * N);
  const arrive = new Int32Array(Z);
  const sorted = new Int32Array(N);
  const reachedStops = new Int32Array(S);
  const cutoffs = opts.cutoffsMin.map((c) => c * 60);
  const ranks = opts.percentiles.map((p) => Math.max(0, Math.ceil((p / 100) * N) - 1));
  for (let o = origins[0]; o < origins[1]; o++) {
    raptor.reset();
    const access: { stop: number; secs: number }[] = [];
    for (let i = zoneStops.start[o]!; i < zoneStops.start[o + 1]!; i++)
      access.push({ stop: zoneStops.to[i]!, secs: zoneStops.secs[i]! });
    for (let m = N - 1; m >= 0; m--) {
      const t = minutes[m]!;
      arrive.fill(UNREACHED);
      for (let i = direct.start[o]!; i < direct.start[o + 1]!; i++)
        arrive[direct.to[i]!] = Math.min(arrive[direct.to[i]!]!, t + direct.secs[i]!);
      if (access.length) {
        raptor.search(t, access);
        let n = 0;
        for (let s = 0; s < S; s++)
          if (raptor.best[s]! < UNREACHED && raptor.bestRides[s]! > 0) reachedStops[n++] = s;
        for (let i = 0; i < n; i++) {
          const s = reachedStops[i]!;
          const b = raptor.best[s]!;
          for (let e = counts[s]!; e < counts[s + 1]!; e++) {
            const v = b + egressSecs[e]!;
            const z = egressZone[e]!;
            if (v < arrive[z]!) arrive[z] = v;
          }
        }
      }
      for (let z = 0; z < Z; z++) times[z * N + m] = arrive[z]! >= UNREACHED ? UNREACHED : arrive[z]! - t;
    }
    for (let z = 0; z < Z; z++) {
      const opp = zones[z]!.opportunities;
      if (!opp) continue;
      sorted.set(times.subarray(z * N, z * N + N));
      sorted.sort();
      for (let p = 0; p < P; p++) {
        const tt = sorted[ranks[p]!]!;
        for (let c = 0; c < C; c++) if (tt < cutoffs[c]!) out[(o * P + p) * C + c]! += opp;
      }
    }
    onOrigin?.(o + 1, Z);
  }
  return out;
}
