import { ingest } from '../../lib/ingest/ingest';
import { formatIssue } from '../../lib/ingest/issues';
import { flagString } from '../cli/args';
import type { Command } from '../cli/types';

export const command: Command = {
  name: 'ingest',
  summary: 'ingest a file, folder or ZIP into the catalog (validated; a rejected file publishes nothing)',
  usage:
    'corridor ingest <path...> [--dataset <type>] [--name <name>] [--max-bad-rows 0.01] [--strict] [--json]',
  async run(args, ctx) {
    if (args.positionals.length === 0) {
      console.error(`usage: ${this.usage}`);
      return 2;
    }
    const { dataset, name, 'max-bad-rows': maxBad, strict, json, 'data-dir': _d, ...flags } = args.flags;
    const outcome = await ingest(ctx, args.positionals, {
      dataset: typeof dataset === 'string' ? dataset : undefined,
      name: typeof name === 'string' ? name : undefined,
      flags,
      maxBadRowFraction: strict
        ? 0
        : maxBad !== undefined
          ? Number(flagString(args, 'max-bad-rows'))
          : undefined,
    });
    if (json) console.log(JSON.stringify(outcome, null, 2));
    const shown = outcome.issues.filter((i) => i.severity !== 'info' || outcome.status === 'rejected');
    for (const i of shown.slice(0, 50)) console.error(formatIssue(i));
    if (shown.length > 50) console.error(`… ${shown.length - 50} more issues in the report`);
    const where = outcome.reportKey ? ` Report: ${ctx.storage.location}/${outcome.reportKey}` : '';
    if (outcome.status === 'rejected') {
      console.error(`\n${outcome.datasetId}: REJECTED — nothing was published.${where}`);
      return 1;
    }
    if (outcome.status === 'unchanged') {
      console.error(`${outcome.datasetId}: unchanged (identical to version ${outcome.version}).`);
      return 0;
    }
    console.error(
      `${outcome.datasetId}: published version ${outcome.version} — ${outcome.rowsPublished.toLocaleString('en-US')} rows` +
        (outcome.rowsQuarantined ? `, ${outcome.rowsQuarantined} quarantined` : '') +
        `.${where}`,
    );
    return 0;
  },
};
