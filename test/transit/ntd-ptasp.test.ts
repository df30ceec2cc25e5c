// PTASP: the measure table transcribed from the 2024 National Safety Plan notice (89 FR 25316),
// the annual and event-level inputs, and `compute transit --ptasp` end to end (targets vs actuals).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getFamily } from '../../lib/compute/families';
import { ptaspFile } from '../../lib/datasets/ntd-ptasp';
import { queryRows } from '../../lib/engine/duckdb';
import { ingest } from '../../lib/ingest/ingest';
import {
  NSP_MEASURES_FILE,
  PTASP_MODE_GROUPS_FILE,
  upgradeOlderPtaspInputs,
} from '../../lib/transit/ptasp-reference';
import { tempCtx } from '../helpers';

const ctx = tempCtx();
afterAll(() => ctx.cleanup());

/** A small CSV reader for the reference files (quoted fields with commas). */
function readCsv(path: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const text = readFileSync(path, 'utf8');
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endCell();
    else if (ch === '\n') {
      endCell();
      rows.push(row);
      row = [];
    } else if (ch !== '\r') cell += ch;
  }
  if (cell || row.length) {
    endCell();
    rows.push(row);
  }
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i] ?? ''])));
}

describe('National Safety Plan measure table (data/transit/nsp_measures.csv)', () => {
  const measures = readCsv(NSP_MEASURES_FILE);

  it('has the 14 measures of the notice, rates over VRM, a target column for each', () => {
    // p. 25320: "from seven to 14" measures; 42 targets for three modal groups = 14 × 3
    expect(measures).toHaveLength(14);
    // p. 25322: rates are normalised by VRM ("service provided"), never UPT
    for (const m of measures.filter((m) => m.kind === 'rate')) expect(m.denominator).toBe('vrm');
    // p. 25320: collisions, transit worker fatalities and injuries are rate-only measures
    const ids = measures.map((m) => m.measure_id);
    for (const rateOnly of ['collision', 'transit_worker_fatalit', 'transit_worker_injur'])
      expect(measures.filter((m) => (m.measure_id ?? '').startsWith(rateOnly) && m.kind === 'count')).toEqual(
        [],
      );
    // p. 25323: transit worker injury rate is not an SRRP measure
    expect(measures.find((m) => m.measure_id === 'transit_worker_injury_rate')?.srrp).toBe('no');
    // p. 25321: major events are in both sets
    expect(measures.find((m) => m.measure_id === 'major_events')?.srrp).toBe('yes');
    const specColumns = new Set(ptaspFile.columns.map((c) => c.name));
    for (const id of ids) expect(specColumns.has(`target_${id}`), `target_${id}`).toBe(true);
    for (const m of measures) {
      expect(specColumns.has(m.numerator!), m.numerator).toBe(true);
      if (m.denominator) expect(specColumns.has(m.denominator), m.denominator).toBe(true);
      expect(m.source).toMatch(/FR/);
    }
  });

  it('groups NTD modes into the three modal groups of the notice (p. 25320)', () => {
    const groups = new Set(readCsv(PTASP_MODE_GROUPS_FILE).map((g) => g.mode_group));
    expect([...groups].sort()).toEqual(['fixed_route_bus', 'non_fixed_route_bus', 'other', 'rail']);
  });
});

describe('PTASP inputs and measures', () => {
  it('reads the 2017 column names as aliases, warns on inconsistent collision counts, and keeps the rows', async () => {
    const file = join(ctx.root, 'safety2024.csv');
    writeFileSync(
      file,
      [
        'agency,mode,year,safety_events,vrm,collisions,pedestrian_collisions,vehicular_collisions,transit_worker_injuries,assaults,target_event_rate,target_assault_rate',
        'metro,MB,2024,40,2000000,20,4,12,6,10,2.5,0.4',
        'metro,LR,2024,3,800000,5,,,,,,',
        'metro,DR,2024,9,500000,2,2,1,,,,',
      ].join('\n'),
    );
    const out = await ingest(ctx, [file], { dataset: 'ntd_ptasp' });
    expect(out.status).toBe('published');
    expect(out.rowsPublished).toBe(3);
    expect(out.issues.find((i) => i.code === 'collisions_exceed_events')).toMatchObject({ line: 3 });
    expect(out.issues.find((i) => i.code === 'collision_subsets_exceed_total')).toMatchObject({ line: 4 });

    const dir = join(ctx.root, 'ptasp-out');
    const res = await (await getFamily('transit')).run(ctx, { out: dir, flags: { ptasp: true } });
    // fixed_route_bus: major events (count, rate), collision, pedestrian, vehicular, worker injury
    // rates, assaults (count, rate) = 8; rail: major events ×2 + collision rate = 3;
    // non_fixed_route_bus: major events ×2 + three collision rates = 5
    // one agency: the regional table (23 CFR 450.306(d)(2)) has the same rows
    expect(res.summary).toEqual({
      rows: { transit_ptasp_measures: 8 + 3 + 5, transit_ptasp_region: 8 + 3 + 5 },
    });
    const csv = readFileSync(join(dir, 'transit_ptasp_measures.csv'), 'utf8');
    // `assaults` → assaults_on_transit_workers: 10 / 2,000,000 × 100,000 = 0.5 > 0.4 → not met
    expect(csv).toMatch(
      /metro,fixed_route_bus,2024,assault_on_transit_worker_rate,.*,10\.0,vrm,2000000\.0,.*,0\.5,.*,0\.4,false/,
    );
    // target_event_rate → target_major_event_rate: 40 / 2,000,000 × 100,000 = 2.0 ≤ 2.5 → met
    expect(csv).toMatch(/metro,fixed_route_bus,2024,major_event_rate,.*,2\.0,.*,2\.5,true/);
  });

  it('counts from event-level records replace the annual counts of that agency, group and year', async () => {
    const file = join(ctx.root, 'events.csv');
    writeFileSync(
      file,
      [
        'agency,event_id,date,mode,tos,event_type,collision_with,fatalities,injuries,transit_worker_fatalities,transit_worker_injuries,assault_on_transit_worker,major',
        'metro,1,2024-03-01,MB,DO,collision,pedestrian,0,1,0,0,false,true',
        'metro,2,2024-04-01,CB,PT,collision,motor_vehicle,1,2,0,1,false,true',
        'metro,3,2024-06-01,MB,DO,assault,,0,1,0,1,true,true',
        'metro,4,2024-06-02,MB,DO,assault,,0,0,0,0,true,false',
        'metro,5,2024-07-01,MB,DO,fire,pedestrian,0,0,0,0,false,true',
        'metro,5,2024-07-02,MB,DO,fire,,0,0,0,0,false,true',
      ].join('\n'),
    );
    const out = await ingest(ctx, [file], { dataset: 'ntd_safety_events', maxBadRowFraction: 0.5 });
    expect(out.status).toBe('published');
    expect(out.rowsPublished).toBe(5);
    expect(out.issues.find((i) => i.code === 'collision_partner_without_collision')).toMatchObject({
      line: 6,
    });
    expect(out.issues.find((i) => i.code === 'duplicate_event')).toMatchObject({ line: 7 });

    const dir = join(ctx.root, 'ptasp-events-out');
    await (await getFamily('transit')).run(ctx, { out: dir, flags: { ptasp: true } });
    const csv = readFileSync(join(dir, 'transit_ptasp_measures.csv'), 'utf8');
    // four major events (the non-major assault is not one) over the annual file's 2,000,000 VRM
    expect(csv).toMatch(/metro,fixed_route_bus,2024,major_events,.*,events,major_events,4\.0,/);
    expect(csv).toMatch(
      /metro,fixed_route_bus,2024,major_event_rate,.*,events,major_events,4\.0,vrm,2000000\.0,100000\.0,0\.2,/,
    );
    // both assaults on transit workers count, major or not: 2 / 2,000,000 × 100,000 = 0.1 ≤ 0.4
    expect(csv).toMatch(
      /metro,fixed_route_bus,2024,assault_on_transit_worker_rate,.*,2\.0,vrm,2000000\.0,100000\.0,0\.1,.*,0\.4,true/,
    );
    // rail keeps its annual counts (no events for it)
    expect(csv).toMatch(/metro,rail,2024,major_events,.*,annual,/);
  });

  it('reads a version ingested before the 2024 names through a renaming view', async () => {
    const db = await ctx.db();
    await db.run(
      `create view ptasp_inputs as select 'metro' as agency, 'MB' as mode, 2023 as year, 40.0 as safety_events,
         2000000.0 as vrm, 2.5 as target_event_rate`,
    );
    await upgradeOlderPtaspInputs(db);
    const [row] = await queryRows(
      db,
      'select major_events, target_major_event_rate, target_assaults_on_transit_workers, vrm from ptasp_inputs',
    );
    expect(row).toEqual({
      major_events: 40,
      target_major_event_rate: 2.5,
      target_assaults_on_transit_workers: null,
      vrm: 2000000,
    });
  });
});
