import { createApp } from '../../lib/api/app';
import { exportPortal } from '../../lib/portal/static-export';
import { flagString } from '../cli/args';
import type { Command } from '../cli/types';

export const command: Command = {
  name: 'portal',
  summary:
    'export the public portal (pages, data.json, OpenAPI, downloads) as static files under portal/ in the store',
  usage: 'corridor portal export [--origin https://data.example.org] [--prefix portal/]',
  async run(args, ctx) {
    if (args.positionals[0] !== 'export') {
      console.error(`usage: ${this.usage}`);
      return 2;
    }
    if (!flagString(args, 'origin'))
      console.error(
        'warning: no --origin: data.json and the CKAN shim will name http://localhost in their URLs',
      );
    const app = createApp({ ctx, limits: { ratePerMinute: 0 } });
    const r = await exportPortal(ctx, app as never, {
      origin: flagString(args, 'origin'),
      prefix: flagString(args, 'prefix'),
    });
    console.error(
      `wrote ${r.objects} objects (${(r.bytes / 1024 ** 2).toFixed(1)} MB) under ${ctx.storage.location}/${r.prefix}`,
    );
    return 0;
  },
};
