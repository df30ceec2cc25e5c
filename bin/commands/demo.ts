import { loadDemo } from '../../lib/demo/load';
import type { Command } from '../cli/types';
import { command as serve } from './serve';

export const command: Command = {
  name: 'demo',
  summary:
    'load the demo region (generated data: ingest and compute every measure family); --serve then serves it',
  usage: 'corridor demo [--serve] [--port 8080]',
  async run(args, ctx) {
    await loadDemo(ctx);
    ctx.log.info(`demo region loaded into ${ctx.storage.location}`);
    return args.flags.serve ? serve.run({ ...args, flags: { ...args.flags, 'demo-account': true } }, ctx) : 0;
  },
};
