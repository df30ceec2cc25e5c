// The demo NPMRDS year is deterministic, ingests cleanly, and shows what the portal should show:
// recurring congestion and at least one unreliable Interstate segment.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getFamily } from '../../lib/compute/families';
import { DEMO_NPMRDS_YEAR, generateNpmrds } from '../../lib/demo/npmrds';
import { ingest } from '../../lib/ingest/ingest';
import { tempContext } from './helpers';

const hash = (files: string[]) =>
  files.map((f) => createHash('sha256').update(readFileSync(f)).digest('hex')).join();

describe('demo NPMRDS generator', () => {
  it('is deterministic and produces PM3 and congestion results', async () => {
    const { ctx, dir } = await tempContext();
    const a = await generateNpmrds(join(dir, 'a'), { tmcs: 12 });
    const b = await generateNpmrds(join(dir, 'b'), { tmcs: 12 });
    expect(hash(a)).toBe(hash(b));
    const [tmc, all, trucks, speed, uza] = a as [string, string, string, string, string];
    const n = await ingest(ctx, [tmc, all, trucks], { dataset: 'npmrds' });
    expect(n.status).toBe('published');
    expect(n.rowsQuarantined).toBe(0);
    expect((await ingest(ctx, [speed], { dataset: 'speed_limits' })).status).toBe('published');
    expect((await ingest(ctx, [uza], { dataset: 'urbanized_area_population' })).status).toBe('published');
    const pm3 = await (await getFamily('pm3')).run(ctx, {
      year: DEMO_NPMRDS_YEAR,
      out: join(dir, 'pm3'),
      flags: {},
    });
    expect(pm3.summary.interstate_reliable_pmt_pct).toBeLessThan(100);
    expect(pm3.summary.interstate_reliable_pmt_pct).toBeGreaterThan(50);
    expect(pm3.summary.tttr_index).toBeGreaterThan(1);
    expect((pm3.summary.phed_hours_per_capita as unknown[]).length).toBe(1);
    const cmp = await (await getFamily('congestion')).run(ctx, {
      year: DEMO_NPMRDS_YEAR,
      out: join(dir, 'cmp'),
      flags: {},
    });
    expect((cmp.summary.top_bottlenecks as unknown[]).length).toBeGreaterThan(0);
  });
});
