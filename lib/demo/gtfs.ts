// A deterministic GTFS feed and zone file for the demo region (and, scaled up, for benchmarks):
// radial bus routes into a downtown, crosstown routes, one frequent trunk line, a downtown
// circulator run from frequencies.txt, weekday/Saturday/Sunday calendars with a holiday swap in
// calendar_dates, late trips past 24:00, shapes; zones on a grid with population, jobs (dense
// downtown) and an equity flag. Nothing random at run time: a seeded generator.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';

export interface DemoScale {
  radials: number;
  crosstowns: number;
  /** zones per side of the square grid */
  zoneGrid: number;
  /** kilometres from downtown to the end of a radial */
  radiusKm: number;
  /** Scenario knob: multiplies the trunk line's headways (0.5 = twice as many trips). */
  trunkHeadwayFactor?: number;
}

export const DEMO_SCALE: DemoScale = { radials: 8, crosstowns: 3, zoneGrid: 16, radiusKm: 9 };

const CENTER = { lat: 39.9612, lon: -82.9988 };
const KM_LAT = 1 / 111.32;
const kmLon = (lat: number) => 1 / (111.32 * Math.cos((lat * Math.PI) / 180));

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hms = (secs: number) => {
  const s = Math.round(secs);
  return `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};
const csvLine = (v: (string | number)[]) =>
  v
    .map((x) => (typeof x === 'string' && /[",]/.test(x) ? `"${x.replaceAll('"', '""')}"` : String(x)))
    .join(',');

interface Route {
  id: string;
  name: string;
  type: number;
  points: { lat: number; lon: number }[];
  /** headway in minutes by period: early, peak, midday, evening, night (0 = none) */
  headways: [number, number, number, number, number];
  frequency?: boolean;
}

export async function generateGtfsDemo(
  dir: string,
  scale: DemoScale = DEMO_SCALE,
): Promise<{ feedZip: string; zonesCsv: string }> {
  await mkdir(dir, { recursive: true });
  const rand = rng(20240601);
  const routes: Route[] = [];
  const stopSpacingKm = 0.4;
  const line = (a: { lat: number; lon: number }, b: { lat: number; lon: number }) => {
    const dLat = (b.lat - a.lat) / KM_LAT;
    const dLon = (b.lon - a.lon) / kmLon(a.lat);
    const n = Math.max(2, Math.round(Math.hypot(dLat, dLon) / stopSpacingKm));
    return Array.from({ length: n + 1 }, (_, i) => ({
      lat: a.lat + ((b.lat - a.lat) * i) / n,
      lon: a.lon + ((b.lon - a.lon) * i) / n,
    }));
  };
  const at = (angle: number, km: number) => ({
    lat: CENTER.lat + Math.sin(angle) * km * KM_LAT,
    lon: CENTER.lon + Math.cos(angle) * km * kmLon(CENTER.lat),
  });
  for (let r = 0; r < scale.radials; r++) {
    const angle = (2 * Math.PI * r) / scale.radials + 0.1;
    const trunk = r === 0;
    routes.push({
      id: `R${r + 1}`,
      name: trunk ? 'Broad St Rapid' : `Radial ${r + 1}`,
      type: 3,
      points: line(at(angle + Math.PI, 0.8), at(angle, scale.radiusKm * (0.7 + 0.3 * rand()))),
      headways: trunk
        ? ([15, 7.5, 10, 12, 30].map((h) => h * (scale.trunkHeadwayFactor ?? 1)) as Route['headways'])
        : [30, 15, 20, 30, rand() < 0.5 ? 60 : 0],
    });
  }
  for (let c = 0; c < scale.crosstowns; c++) {
    const offset = ((c + 1) / (scale.crosstowns + 1) - 0.5) * scale.radiusKm * 1.4;
    const vertical = c % 2 === 1;
    const a = vertical
      ? { lat: CENTER.lat - scale.radiusKm * 0.7 * KM_LAT, lon: CENTER.lon + offset * kmLon(CENTER.lat) }
      : { lat: CENTER.lat + offset * KM_LAT, lon: CENTER.lon - scale.radiusKm * 0.7 * kmLon(CENTER.lat) };
    const b = vertical
      ? { lat: CENTER.lat + scale.radiusKm * 0.7 * KM_LAT, lon: a.lon }
      : { lat: a.lat, lon: CENTER.lon + scale.radiusKm * 0.7 * kmLon(CENTER.lat) };
    routes.push({
      id: `X${c + 1}`,
      name: `Crosstown ${c + 1}`,
      type: 3,
      points: line(a, b),
      headways: [0, 20, 30, 30, 0],
    });
  }
  routes.push({
    id: 'CIRC',
    name: 'Downtown Circulator',
    type: 3,
    points: line(at(0.5, 1.2), at(0.5 + Math.PI, 1.2)),
    headways: [0, 10, 10, 15, 0],
    frequency: true,
  });

  // stops: shared where routes pass within 60 m (transfers happen at shared stops)
  const stops: { id: string; lat: number; lon: number }[] = [];
  const stopAt = (p: { lat: number; lon: number }) => {
    const near = stops.find(
      (s) => Math.hypot((s.lat - p.lat) / KM_LAT, (s.lon - p.lon) / kmLon(p.lat)) < 0.06,
    );
    if (near) return near.id;
    const id = `S${String(stops.length + 1).padStart(4, '0')}`;
    stops.push({ id, lat: Number(p.lat.toFixed(6)), lon: Number(p.lon.toFixed(6)) });
    return id;
  };
  const routeStops = routes.map((r) => r.points.map(stopAt));

  const files: Record<string, string[]> = {
    'agency.txt': [
      'agency_id,agency_name,agency_url,agency_timezone,agency_lang',
      'DEMO,Corridor Demo Transit,https://example.org/demo-transit,America/New_York,en',
    ],
    'stops.txt': [
      'stop_id,stop_name,stop_lat,stop_lon',
      ...stops.map((s, i) => csvLine([s.id, `Stop ${i + 1}`, s.lat, s.lon])),
    ],
    'routes.txt': [
      'route_id,agency_id,route_short_name,route_long_name,route_type',
      ...routes.map((r) => csvLine([r.id, 'DEMO', r.id, r.name, r.type])),
    ],
    'calendar.txt': [
      'service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date',
      'WKDY,1,1,1,1,1,0,0,20250101,20261231',
      'SAT,0,0,0,0,0,1,0,20250101,20261231',
      'SUN,0,0,0,0,0,0,1,20250101,20261231',
    ],
    // New Year's Day, Independence Day and Labor Day 2025 run the Sunday schedule
    'calendar_dates.txt': [
      'service_id,date,exception_type',
      ...['20250101', '20250704', '20250901'].flatMap((d) => [`WKDY,${d},2`, `SUN,${d},1`]),
    ],
    'trips.txt': ['route_id,service_id,trip_id,direction_id,shape_id'],
    'stop_times.txt': ['trip_id,arrival_time,departure_time,stop_id,stop_sequence'],
    'frequencies.txt': ['trip_id,start_time,end_time,headway_secs,exact_times'],
    'shapes.txt': ['shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence'],
  };
  const periods: [number, number, number][] = [
    [5 * 3600, 6.5 * 3600, 0],
    [6.5 * 3600, 9 * 3600, 1],
    [9 * 3600, 15 * 3600, 2],
    [15 * 3600, 18.5 * 3600, 1],
    [18.5 * 3600, 22 * 3600, 3],
    [22 * 3600, 25.5 * 3600, 4],
  ];
  const speedKmH = 18;
  routes.forEach((r, ri) => {
    for (const dir of [0, 1]) {
      const ids = dir === 0 ? routeStops[ri]! : [...routeStops[ri]!].reverse();
      const pts = dir === 0 ? r.points : [...r.points].reverse();
      const shape = `${r.id}_${dir}`;
      pts.forEach((p, i) => {
        files['shapes.txt']!.push(csvLine([shape, p.lat.toFixed(6), p.lon.toFixed(6), i + 1]));
      });
      const offsets = [0];
      for (let i = 1; i < pts.length; i++) {
        const km = Math.hypot(
          (pts[i]!.lat - pts[i - 1]!.lat) / KM_LAT,
          (pts[i]!.lon - pts[i - 1]!.lon) / kmLon(pts[i]!.lat),
        );
        offsets.push(offsets[i - 1]! + (km / speedKmH) * 3600 + 20);
      }
      const services: [string, number][] = [
        ['WKDY', 1],
        ['SAT', 1.5],
        ['SUN', 2],
      ];
      for (const [service, stretch] of services) {
        let n = 0;
        const emit = (start: number) => {
          const trip = `${r.id}_${service}_${dir}_${++n}`;
          files['trips.txt']!.push(csvLine([r.id, service, trip, dir, shape]));
          ids.forEach((s, i) => {
            const t = hms(start + offsets[i]!);
            files['stop_times.txt']!.push(csvLine([trip, t, t, s, i + 1]));
          });
          return trip;
        };
        if (r.frequency) {
          const trip = emit(7 * 3600);
          files['frequencies.txt']!.push(
            csvLine([trip, '07:00:00', '19:00:00', Math.round(r.headways[1] * 60 * stretch), 0]),
          );
          continue;
        }
        for (const [from, to, k] of periods) {
          const h = r.headways[k]! * stretch;
          if (!h) continue;
          for (let t = from + dir * 120 + ri * 60; t < to; t += h * 60) emit(t);
        }
      }
    }
  });
  // a fixed timestamp keeps the bytes identical run to run (re-ingest is then a no-op)
  const zip = zipSync(
    Object.fromEntries(
      Object.entries(files).map(([name, lines]) => [name, strToU8(`${lines.join('\n')}\n`)]),
    ),
    { mtime: new Date(Date.UTC(2025, 0, 1)) },
  );
  const feedZip = join(dir, 'demo-transit-gtfs.zip');
  await writeFile(feedZip, zip);

  const zones = ['zone_id,lon,lat,population,jobs,equity_area'];
  const g = scale.zoneGrid;
  const span = scale.radiusKm * 1.6;
  for (let y = 0; y < g; y++) {
    for (let x = 0; x < g; x++) {
      const dx = ((x + 0.5) / g - 0.5) * span;
      const dy = ((y + 0.5) / g - 0.5) * span;
      const d = Math.hypot(dx, dy);
      const population = Math.round((1200 + 2500 * Math.exp(-d / 4)) * (0.6 + 0.8 * rand()));
      const jobs = Math.round((150 + 9000 * Math.exp(-d / 1.5)) * (0.5 + rand()));
      const equity = dy < 0 && d < scale.radiusKm * 0.6 ? 1 : 0;
      zones.push(
        csvLine([
          `Z${String(y * g + x + 1).padStart(4, '0')}`,
          (CENTER.lon + dx * kmLon(CENTER.lat)).toFixed(6),
          (CENTER.lat + dy * KM_LAT).toFixed(6),
          population,
          jobs,
          equity,
        ]),
      );
    }
  }
  const zonesCsv = join(dir, 'demo-zones.csv');
  await writeFile(zonesCsv, `${zones.join('\n')}\n`);
  return { feedZip, zonesCsv };
}
