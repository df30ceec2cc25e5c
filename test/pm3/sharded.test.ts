// Running the readings queries one shard group at a time gives exactly the results of one run
// over all shards (every TMC, once), for PM3 and for the congestion analytics.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getFamily } from '../../lib/compute/families';
import { ingest } from '../../lib/ingest/ingest';
import { sharedData } from '../shared-data';
import { tempContext } from './helpers';

const fixture = sharedData('npmrds/fhwa_pm3-testdata');

describe.skipIf(!fixture)('per-shard-group execution', () => {
  it('one group per shard equals a single group', async () => {
    const { ctx, dir } = await tempContext();
    await ingest(ctx, [fixture!], { dataset: 'npmrds' });
    await ingest(ctx, [join(fixture!, 'speed_limits.csv')], { dataset: 'speed_limits' });
    for (const name of ['pm3', 'congestion']) {
      const family = await getFamily(name);
      const one = await family.run(ctx, { year: 2020, out: join(dir, `${name}-one`), flags: {} });
      const many = await family.run(ctx, {
        year: 2020,
        out: join(dir, `${name}-many`),
        flags: { 'shard-group-mb': '0.000001' },
      });
      expect(many.summary).toEqual(one.summary);
      for (const f of one.files.filter((p) => p.endsWith('.csv'))) {
        const base = f.split('/').at(-1)!;
        expect(readFileSync(join(dir, `${name}-many`, base), 'utf8'), `${name}/${base}`).toBe(
          readFileSync(f, 'utf8'),
        );
      }
    }
  });
});
