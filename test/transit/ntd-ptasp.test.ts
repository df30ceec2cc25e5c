// PTASP inputs with the 2024 National Safety Plan's counts: ingest checks the collision counts
// against safety events, and `compute transit --ptasp` adds a measure row only where a count is given.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getFamily } from '../../lib/compute/families';
import { ingest } from '../../lib/ingest/ingest';
import { tempCtx } from '../helpers';

const ctx = tempCtx();
afterAll(() => ctx.cleanup());

describe('PTASP 2024 measures', () => {
  it('warns when collisions exceed safety events or their subsets exceed collisions, and keeps the rows', async () => {
    const file = join(ctx.root, 'safety2024.csv');
    writeFileSync(
      file,
      [
        'agency,mode,year,safety_events,vrm,collisions,pedestrian_collisions,vehicular_collisions,transit_worker_injuries,assaults',
        'metro,bus,2024,40,2000000,20,4,12,6,10',
        'metro,lr,2024,3,800000,5,,,,',
        'metro,dr,2024,9,500000,2,2,1,,',
      ].join('\n'),
    );
    const out = await ingest(ctx, [file], { dataset: 'ntd_ptasp' });
    expect(out.status).toBe('published');
    expect(out.rowsPublished).toBe(3);
    expect(out.issues.find((i) => i.code === 'collisions_exceed_events')).toMatchObject({ line: 3 });
    expect(out.issues.find((i) => i.code === 'collision_subsets_exceed_total')).toMatchObject({ line: 4 });

    const dir = join(ctx.root, 'ptasp-out');
    const res = await (await getFamily('transit')).run(ctx, { out: dir, flags: { ptasp: true } });
    // 4 measures of the 2017 plan per row, plus one per 2024 count given: bus 5, lr 1, dr 3
    expect(res.summary).toEqual({ rows: { transit_ptasp_measures: 12 + 5 + 1 + 3 } });
    const csv = readFileSync(join(dir, 'transit_ptasp_measures.csv'), 'utf8');
    // the `assaults` alias lands in assaults_on_transit_workers: 10 / 2,000,000 × 100,000 = 0.5
    expect(csv).toContain('metro,bus,2024,assaults_on_transit_workers,2024,10.0,0.5,');
  });
});
