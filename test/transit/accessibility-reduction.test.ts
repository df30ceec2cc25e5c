// The r5-style reduction on a network small enough to do by hand: one line A → B, a bus every
// 10 minutes taking 5, zones at the two stops (too far apart to walk). From A at minute k of
// 07:00–07:10 the trip takes (10 − k) mod 10 minutes of waiting + 5 riding.
import { describe, expect, it } from 'vitest';
import { computeAccessibility } from '../../lib/transit/accessibility';
import type { Network } from '../../lib/transit/network';
import { buildTimetable } from '../../lib/transit/raptor/timetable';

const A = { lat: 40, lon: -75 };
const B = { lat: 40.009, lon: -75 }; // ≈ 1,000 m north: 1,300 s on foot with detour 1.3 at 1 m/s
const walk = { speed: 1, detour: 1.3, maxTransferSecs: 300 };

function network(): Network {
  const trips = [];
  for (let t = 7 * 3600; t < 9 * 3600; t += 600)
    trips.push({ routeKey: 'L', stops: [0, 1], arrivals: [t, t + 300], departures: [t, t + 300] });
  const coords = [A, B];
  return {
    tt: buildTimetable(coords, trips, [], walk),
    stopKeys: ['a', 'b'],
    stopIndex: new Map([
      ['a', 0],
      ['b', 1],
    ]),
    coords,
    parents: [null, null],
    trips: trips.length,
  };
}

const zones = [
  { id: 'A', ...A, opportunities: 10 },
  { id: 'B', ...B, opportunities: 100 },
];
const opts = {
  from: 7 * 3600,
  to: 7 * 3600 + 600,
  walk,
  maxAccessSecs: 900,
  maxRides: 3,
  boardSlack: 0,
  maxDurationSecs: 7200,
};

describe('accessibility reduction', () => {
  it('takes the non-interpolated percentile sorted[ceil(p/100·N) − 1] and counts times strictly below the cutoff', () => {
    // times A→B over the 10 minutes: 5, 14, 13, 12, 11, 10, 9, 8, 7, 6 min → sorted 5,6,7,8,9,10,…
    // p50: index ceil(5) − 1 = 4 → 9 min; p10: index 0 → 5 min; p100: index 9 → 14 min
    const out = computeAccessibility(network(), zones, {
      ...opts,
      percentiles: [10, 50, 100],
      cutoffsMin: [5, 9, 10, 15],
    });
    const at = (zone: number, p: number, c: number) => out[(zone * 3 + p) * 4 + c];
    expect([0, 1, 2, 3].map((c) => at(0, 0, c))).toEqual([10, 110, 110, 110]); // p10 = 5 min: not < 5
    expect([0, 1, 2, 3].map((c) => at(0, 1, c))).toEqual([10, 10, 110, 110]); // p50 = 9 min
    expect([0, 1, 2, 3].map((c) => at(0, 2, c))).toEqual([10, 10, 10, 110]); // p100 = 14 min
    // nothing runs B → A: B reaches only its own jobs
    expect([0, 1, 2, 3].map((c) => at(1, 1, c))).toEqual([100, 100, 100, 100]);
  });

  it('walks directly when the zones are close enough', () => {
    const near = [
      { id: 'A', ...A, opportunities: 10 },
      { id: 'C', lat: 40.003, lon: -75, opportunities: 5 }, // ≈ 334 m → 434 s ≈ 7.2 min on foot
    ];
    const out = computeAccessibility(network(), near, { ...opts, percentiles: [50], cutoffsMin: [7, 8] });
    expect(Array.from(out.subarray(0, 2))).toEqual([10, 15]);
  });
});

describe('accessibility in worker threads', () => {
  it('gives exactly the single-threaded numbers', async () => {
    const { computeAccessibilityInWorkers } = await import('../../lib/transit/accessibility-parallel');
    const many = Array.from({ length: 60 }, (_, i) => ({
      id: `z${i}`,
      lat: 40 + (i % 10) * 0.0015,
      lon: -75 + Math.floor(i / 10) * 0.002,
      opportunities: i + 1,
    }));
    const o = { ...opts, to: 7 * 3600 + 1800, percentiles: [50, 90], cutoffsMin: [5, 10, 20] };
    const one = computeAccessibility(network(), many, o);
    const two = await computeAccessibilityInWorkers(network(), many, o, 2);
    expect(Array.from(two)).toEqual(Array.from(one));
    expect(one.some((v, i) => v > many[Math.floor(i / 6)]!.opportunities)).toBe(true);
  });
});
