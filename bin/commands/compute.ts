import { isAbsolute, resolve } from 'node:path';
import { families, getFamily } from '../../lib/compute/families';
import { flagString } from '../cli/args';
import type { Command } from '../cli/types';

export const command: Command = {
  name: 'compute',
  summary: `compute a measure family (${Object.keys(families).join(', ')}) and publish the results with lineage`,
  usage: 'corridor compute <family> [--year Y] [--date YYYY-MM-DD] [--out DIR] [family options]',
  async run(args, ctx) {
    const name = args.positionals[0];
    if (!name) {
      console.error(`usage: ${this.usage}\nfamilies: ${Object.keys(families).join(', ')}`);
      return 2;
    }
    const family = await getFamily(name);
    const { year, date, out, 'data-dir': _d, ...flags } = args.flags;
    const outDir = resolve(flagString(args, 'out') ?? `out/${name}`);
    const result = await family.run(ctx, {
      year: year !== undefined ? Number(year) : undefined,
      date: typeof date === 'string' ? date : undefined,
      out: outDir,
      flags,
    });
    console.log(JSON.stringify(result.summary, null, 2));
    // Fan-out plan and shard tasks hand back storage keys (tmp/fanout/…), not files under --out.
    const where = result.files.every((f) => isAbsolute(f)) ? outDir : 'storage';
    console.error(`${family.title}: wrote ${result.files.length} file(s) to ${where} (run ${result.runId})`);
    return 0;
  },
};
