// A deterministic NPMRDS year for the demo region ("Demo Valley"): a TMC network on two
// Interstates, a freeway and two NHS arterials (plus a ramp and a non-NHS street, which the
// measures must leave out), RITIS-shaped files, recurring weekday peak congestion and a few
// incident-prone segments that come out unreliable. Ingest the returned files with
//   TMC_Identification.csv + readings_*.csv  → --dataset npmrds
//   speed_limits.csv                         → --dataset speed_limits
//   urbanized_area_population.csv            → --dataset urbanized_area_population
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO_COUNTIES, rng } from './region';

export const DEMO_NPMRDS_YEAR = 2024;
export const DEMO_UZA = { urban_code: 98765, name: 'Demo Valley, XX', population: 264_000 };

interface Road {
  road: string;
  dirs: [string, string];
  letters: [string, string];
  f_system: number;
  limit: number;
  aadt: [number, number];
  congestion: number;
}

const ROADS: Road[] = [
  {
    road: 'I-99',
    dirs: ['EASTBOUND', 'WESTBOUND'],
    letters: ['+', '-'],
    f_system: 1,
    limit: 65,
    aadt: [60_000, 140_000],
    congestion: 1.6,
  },
  {
    road: 'I-199',
    dirs: ['NORTHBOUND', 'SOUTHBOUND'],
    letters: ['P', 'N'],
    f_system: 1,
    limit: 65,
    aadt: [45_000, 90_000],
    congestion: 0.6,
  },
  {
    road: 'SR-12 Pkwy',
    dirs: ['EASTBOUND', 'WESTBOUND'],
    letters: ['+', '-'],
    f_system: 2,
    limit: 55,
    aadt: [30_000, 70_000],
    congestion: 0.5,
  },
  {
    road: 'US-9',
    dirs: ['NORTHBOUND', 'SOUTHBOUND'],
    letters: ['+', '-'],
    f_system: 3,
    limit: 45,
    aadt: [18_000, 40_000],
    congestion: 0.7,
  },
  {
    road: 'Harbor Blvd',
    dirs: ['EASTBOUND', 'WESTBOUND'],
    letters: ['P', 'N'],
    f_system: 3,
    limit: 40,
    aadt: [15_000, 32_000],
    congestion: 0.8,
  },
];

interface Tmc {
  tmc: string;
  road: Road;
  direction: string;
  county: string;
  miles: number;
  aadt: number;
  faciltype: number;
  nhs: number;
  urban: number;
  limit: number;
  recurring: number;
  incidents: number;
  amHeavy: boolean;
  lat: number;
  lon: number;
}

function network(count: number, r: () => number): Tmc[] {
  const out: Tmc[] = [];
  let id = 4100;
  const perRoadDir = Math.max(1, Math.floor((count - 2) / (ROADS.length * 2)));
  ROADS.forEach((road, ri) => {
    for (let d = 0; d < 2; d++) {
      for (let k = 0; k < perRoadDir; k++) {
        const county = DEMO_COUNTIES[(ri + k) % DEMO_COUNTIES.length]!;
        const rural = k === perRoadDir - 1 && ri === 1;
        out.push({
          tmc: `199${road.letters[d]}${String(id++).padStart(5, '0')}`,
          road,
          direction: road.dirs[d]!,
          county: county.name.replace(' County', '').toUpperCase(),
          miles: Math.round((0.3 + r() * 1.6) * 1e6) / 1e6,
          aadt: Math.round((road.aadt[0] + r() * (road.aadt[1] - road.aadt[0])) / 10) * 10,
          faciltype: 2,
          nhs: 1,
          urban: rural ? 99999 : DEMO_UZA.urban_code,
          limit: road.limit,
          recurring: road.congestion * (0.2 + r() * 0.8) * (k % 3 === 1 ? 1.4 : 1),
          // A few segments have frequent incidents: their 80th percentile jumps, LOTTR > 1.5
          incidents: (ri * 7 + k * 3 + d) % 11 === 0 ? 0.15 : 0.01,
          amHeavy: d === 0,
          lat: 41.2 + ri * 0.05 + k * 0.01,
          lon: -88.1 + k * 0.015 + d * 0.001,
        });
      }
    }
  });
  // Left out of the measures: a ramp (faciltype 4) and a street off the NHS.
  out.push({
    ...out[0]!,
    tmc: `199P${String(id++).padStart(5, '0')}`,
    road: { ...ROADS[0]!, road: 'I-99 Ramp' },
    faciltype: 4,
    miles: 0.25,
    incidents: 0.01,
  });
  out.push({
    ...out[out.length - 2]!,
    tmc: `199+${String(id++).padStart(5, '0')}`,
    road: { ...ROADS[4]!, road: 'Mill St', f_system: 5 },
    nhs: 0,
    incidents: 0.01,
  });
  return out;
}

const TMC_HEADER =
  'tmc,road,direction,intersection,state,county,zip,start_latitude,start_longitude,end_latitude,end_longitude,miles,road_order,timezone_name,type,country,tmclinear,frc,border_set,f_system,urban_code,faciltype,structype,thrulanes,route_numb,route_sign,route_qual,altrtename,aadt,aadt_singl,aadt_combi,nhs,nhs_pct,strhnt_typ,strhnt_pct,truck,isprimary,active_start_date,active_end_date,thrulanes_unidir,aadt_unidir,aadt_singl_unidir,aadt_combi_unidir';

function tmcRow(t: Tmc, i: number, year: number) {
  const singl = Math.round(t.aadt * (t.road.f_system === 1 ? 0.04 : 0.02));
  const combi = Math.round(t.aadt * (t.road.f_system === 1 ? 0.09 : 0.03));
  const lanes = t.road.f_system <= 2 ? 6 : 4;
  const half = (x: number) => Math.ceil(x / 2);
  return [
    t.tmc,
    t.road.road,
    t.direction,
    `Exit ${i + 1}`,
    'XX',
    t.county,
    '99001',
    t.lat.toFixed(5),
    t.lon.toFixed(5),
    (t.lat + 0.004).toFixed(5),
    (t.lon + 0.012).toFixed(5),
    t.miles,
    i + 1,
    'America/Chicago',
    'P1.11',
    'USA',
    1000 + i,
    t.road.f_system <= 2 ? 1 : 3,
    'N',
    t.road.f_system,
    t.urban,
    t.faciltype,
    0,
    lanes,
    t.road.road.replace(/\D/g, '') || '',
    t.road.f_system === 1 ? 2 : 3,
    1,
    '',
    t.aadt,
    singl,
    combi,
    t.nhs,
    t.nhs ? 100 : 0,
    0,
    0,
    t.road.f_system === 1 ? 1 : 0,
    1,
    `${year}-01-01 00:00:00-05:00`,
    `${year + 1}-01-01 00:00:00-05:00`,
    lanes / 2,
    half(t.aadt),
    half(singl),
    half(combi),
  ]
    .map((v) => (typeof v === 'string' && v.includes(',') ? `"${v}"` : String(v)))
    .join(',');
}

/** Peak shape by hour: 0 off-peak, up to 1 at the height of the peak. */
function peakShape(hour: number, minute: number, amHeavy: boolean) {
  const h = hour + minute / 60;
  const am = Math.max(0, 1 - Math.abs(h - 7.75) / 1.75);
  const pm = Math.max(0, 1 - Math.abs(h - 17.25) / 1.9);
  return amHeavy ? Math.max(am, 0.6 * pm) : Math.max(0.6 * am, pm);
}

export async function generateNpmrds(
  dir: string,
  opts: { seed?: number; tmcs?: number; year?: number } = {},
): Promise<string[]> {
  const r = rng(opts.seed ?? 20240917);
  const year = opts.year ?? DEMO_NPMRDS_YEAR;
  const tmcs = network(opts.tmcs ?? 40, r);
  await mkdir(dir, { recursive: true });
  const tmcPath = join(dir, 'TMC_Identification.csv');
  await writeFile(tmcPath, `${[TMC_HEADER, ...tmcs.map((t, i) => tmcRow(t, i, year))].join('\n')}\n`);
  const allPath = join(dir, 'readings_all_vehicles.csv');
  const truckPath = join(dir, 'readings_trucks.csv');
  const all = createWriteStream(allPath);
  const trucks = createWriteStream(truckPath);
  const header = 'tmc_code,measurement_tstamp,travel_time_seconds\n';
  all.write(header);
  trucks.write(header);
  const start = Date.UTC(year, 0, 1);
  const days = (Date.UTC(year + 1, 0, 1) - start) / 86_400_000;
  const pad = (n: number) => String(n).padStart(2, '0');
  for (let day = 0; day < days; day++) {
    const date = new Date(start + day * 86_400_000);
    const ymd = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
    const weekday = date.getUTCDay() >= 1 && date.getUTCDay() <= 5;
    const season = 1 + 0.08 * Math.sin(((date.getUTCMonth() - 2) / 12) * 2 * Math.PI);
    let bufA = '';
    let bufT = '';
    for (const t of tmcs) {
      const ff = (t.miles / (t.limit + 3)) * 3600;
      // An incident day on this TMC slows one peak badly for an hour or two
      const incidentDay = weekday && r() < t.incidents * 5;
      const incidentHour = 6 + Math.floor(r() * 13);
      // Day-to-day swings of the recurring peak: mild on most segments, wide on the incident-prone
      const swing = t.incidents > 0.05 ? 0.3 + 4 * r() ** 2 : 0.85 + 0.3 * r();
      for (let e = 0; e < 96; e++) {
        const hour = Math.floor(e / 4);
        const minute = (e % 4) * 15;
        const night = hour < 5 || hour >= 22;
        if (r() > (night ? 0.8 : 0.97)) continue; // no probe in this epoch: no row (NPMRDS does not impute)
        const shape = weekday
          ? peakShape(hour, minute, t.amHeavy)
          : 0.15 * Math.max(0, 1 - Math.abs(hour + minute / 60 - 14) / 4);
        let tt =
          ff * (1 + t.recurring * swing * season * shape * (0.7 + 0.6 * r())) * (1 + 0.06 * (r() - 0.3));
        if (incidentDay && Math.abs(hour - incidentHour) <= 1) tt *= 1.8 + 1.5 * r();
        const stamp = `${ymd} ${pad(hour)}:${pad(minute)}:00`;
        bufA += `${t.tmc},${stamp},${tt.toFixed(2)}\n`;
        // Trucks: fewer probes, slower, mostly on the Interstates and freeways
        if (t.road.f_system <= 2 && r() < (night ? 0.35 : 0.6)) {
          bufT += `${t.tmc},${stamp},${(tt * (1.05 + 0.1 * r())).toFixed(2)}\n`;
        }
      }
    }
    if (!all.write(bufA)) await new Promise<void>((res) => all.once('drain', () => res()));
    if (!trucks.write(bufT)) await new Promise<void>((res) => trucks.once('drain', () => res()));
  }
  await Promise.all([
    new Promise<void>((res) => all.end(() => res())),
    new Promise<void>((res) => trucks.end(() => res())),
  ]);
  const speedPath = join(dir, 'speed_limits.csv');
  await writeFile(speedPath, `tmc,speed_limit\n${tmcs.map((t) => `${t.tmc},${t.limit}`).join('\n')}\n`);
  const uzaPath = join(dir, 'urbanized_area_population.csv');
  await writeFile(
    uzaPath,
    `urban_code,name,population,year\n${DEMO_UZA.urban_code},"${DEMO_UZA.name}",${DEMO_UZA.population},${year}\n`,
  );
  return [tmcPath, allPath, truckPath, speedPath, uzaPath];
}
