// The epoch series published at ingest (int_npmrds__epochs) gives exactly the PM3 results that
// building it from the readings in the run gives: a version without the table (as ingested before
// it existed) computes the same files byte for byte.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getVersion, newVersionId, publishVersion } from '../../lib/catalog/catalog';
import { getFamily } from '../../lib/compute/families';
import { getDatasetType } from '../../lib/datasets/registry';
import { DEMO_NPMRDS_YEAR, generateNpmrds } from '../../lib/demo/npmrds';
import { ingest, metaOf } from '../../lib/ingest/ingest';
import { tempContext } from './helpers';

describe('NPMRDS epoch series', () => {
  it('is published at ingest and gives the same PM3 results as the readings', async () => {
    const { ctx, dir } = await tempContext();
    const [tmc, all, trucks, speed, uza] = (await generateNpmrds(join(dir, 'demo'), { tmcs: 8 })) as string[];
    expect((await ingest(ctx, [tmc!, all!, trucks!], { dataset: 'npmrds' })).status).toBe('published');
    await ingest(ctx, [speed!], { dataset: 'speed_limits' });
    await ingest(ctx, [uza!], { dataset: 'urbanized_area_population' });
    const pm3 = await getFamily('pm3');
    const withEpochs = await pm3.run(ctx, { year: DEMO_NPMRDS_YEAR, out: join(dir, 'a'), flags: {} });

    const v = (await getVersion(ctx.storage, 'npmrds'))!;
    const epochs = v.tables.find((t) => t.name === 'epochs');
    expect(epochs?.files.some((k) => /\/epochs\/year=\d+\/shard=\d+\//.test(k))).toBe(true);
    // The same version without the table: PM3 then builds the series from the readings.
    await publishVersion(ctx.storage, metaOf(await getDatasetType('npmrds'), 'npmrds'), {
      ...v,
      version: newVersionId(),
      tables: v.tables.filter((t) => t.name !== 'epochs'),
    });
    const fromReadings = await pm3.run(ctx, { year: DEMO_NPMRDS_YEAR, out: join(dir, 'b'), flags: {} });
    expect(fromReadings.summary).toEqual(withEpochs.summary);
    const csvs = withEpochs.files.filter((f) => f.endsWith('.csv'));
    expect(csvs.length).toBeGreaterThan(2);
    for (const f of csvs) {
      const base = f.split('/').at(-1)!;
      expect(readFileSync(join(dir, 'b', base), 'utf8'), base).toBe(readFileSync(f, 'utf8'));
    }
  });
});
