import { resolve } from 'node:path';
import { exportHpmsPm3 } from '../../lib/measures/pm3/hpms-export';
import {
  fieldViolations,
  formatViolation,
  readHpmsFile,
  scratchDir,
} from '../../lib/measures/pm3/hpms-validate';
import { flagString } from '../cli/args';
import type { Command } from '../cli/types';

export const command: Command = {
  name: 'export',
  summary: 'write a submittal file from published results (hpms-pm3: the HPMS Travel Time Metric file)',
  usage: 'corridor export hpms-pm3 --year Y --state-code NN --out FILE [--fill-missing]',
  async run(args, ctx) {
    if (args.positionals[0] !== 'hpms-pm3') {
      console.error(`usage: ${this.usage}`);
      return 2;
    }
    const year = Number(flagString(args, 'year'));
    const stateCode = Number(flagString(args, 'state-code'));
    const out = flagString(args, 'out');
    if (!year || !stateCode || !out) {
      console.error(`usage: ${this.usage}`);
      return 2;
    }
    const path = resolve(out);
    const res = await exportHpmsPm3(ctx, {
      year,
      stateCode,
      out: path,
      fillMissing: args.flags['fill-missing'] === true,
    });
    console.error(`wrote ${res.rows} reporting segments to ${path} (from PM3 run ${res.runId})`);
    const db = await ctx.db();
    const { read, header } = await readHpmsFile(
      db,
      { name: path, localPath: path, bytes: 0 },
      await scratchDir(),
    );
    const violations = [...header, ...(read ? await fieldViolations(db, read) : [])];
    for (const v of violations) console.error(formatViolation(v));
    if (violations.length === 0) console.error('the file meets the HPMS travel time metric specification');
    return 0;
  },
};
