import { resolve } from 'node:path';
import { formatIssue } from '../../lib/ingest/issues';
import {
  fieldViolations,
  formatViolation,
  readHpmsFile,
  scratchDir,
} from '../../lib/measures/pm3/hpms-validate';
import type { Command } from '../cli/types';

export const command: Command = {
  name: 'validate',
  summary: 'check a submittal file against its specification (hpms-pm3: HPMS Travel Time Metric file)',
  usage: 'corridor validate hpms-pm3 FILE [--json]',
  async run(args, ctx) {
    const [kind, file] = args.positionals;
    if (kind !== 'hpms-pm3' || !file) {
      console.error(`usage: ${this.usage}`);
      return 2;
    }
    const path = resolve(file);
    const db = await ctx.db();
    const { read, header, issues } = await readHpmsFile(
      db,
      { name: file, localPath: path, bytes: 0 },
      await scratchDir(),
    );
    for (const i of issues.issues.filter((x) => x.severity === 'error')) console.error(formatIssue(i));
    const violations = [...header, ...(read ? await fieldViolations(db, read) : [])];
    if (args.flags.json) console.log(JSON.stringify({ file, rows: read?.rows ?? 0, violations }, null, 2));
    for (const v of violations) console.error(formatViolation(v));
    const errors = violations.filter((v) => v.severity === 'error').length;
    console.error(
      `${file}: ${read?.rows ?? 0} rows; ${violations.length === 0 ? 'meets the specification' : `${errors} rule(s) violated as errors, ${violations.length - errors} as warnings`}`,
    );
    return read && errors === 0 ? 0 : 1;
  },
};
