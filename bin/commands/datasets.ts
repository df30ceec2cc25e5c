import { getVersion, listDatasets } from '../../lib/catalog/catalog';
import type { Command } from '../cli/types';

export const command: Command = {
  name: 'datasets',
  summary: 'list the datasets in the catalog with their current version and size',
  usage: 'corridor datasets [--json]',
  async run(args, ctx) {
    const all = await listDatasets(ctx.storage);
    if (args.flags.json) {
      console.log(JSON.stringify(all, null, 2));
      return 0;
    }
    if (all.length === 0) {
      console.log(`no datasets yet in ${ctx.storage.location}. Try: corridor demo`);
      return 0;
    }
    for (const m of all) {
      const v = await getVersion(ctx.storage, m.id);
      const rows = v?.tables.reduce((n, t) => n + t.rows, 0) ?? 0;
      console.log(
        `${m.id.padEnd(32)} ${String(m.current_version).padEnd(28)} ${rows.toLocaleString('en-US').padStart(12)} rows  ${m.title}`,
      );
    }
    return 0;
  },
};
