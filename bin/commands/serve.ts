import { serve } from '@hono/node-server';
import { createApp } from '../../lib/api/app';
import { DEMO_PASSWORD, DEMO_USER, isLoopback } from '../../lib/auth/local-auth';
import { flagString } from '../cli/args';
import type { Command } from '../cli/types';

export const command: Command = {
  name: 'serve',
  summary: 'serve the portal and API on http://localhost:8080 (PORT or --port to change)',
  usage: 'corridor serve [--port 8080] [--host 127.0.0.1]',
  async run(args, ctx) {
    const port = Number(flagString(args, 'port') ?? ctx.config.port);
    const hostname = flagString(args, 'host') ?? process.env.HOST ?? '127.0.0.1';
    // The demo staff account exists only for the demo store on loopback (lib/auth/local-auth.ts).
    const app = createApp({ ctx, host: hostname, demoAccount: args.flags['demo-account'] === true });
    await new Promise<void>((resolve) => {
      const server = serve({ fetch: app.fetch, port, hostname }, (info) => {
        // With --port 0 the system picks the port: report the one bound.
        const host = hostname === '127.0.0.1' ? 'localhost' : hostname;
        console.log(`Corridor is serving ${ctx.storage.location} at http://${host}:${info.port}/`);
        if (args.flags['demo-account'] === true && isLoopback(hostname))
          console.log(
            `Staff sign-in for this demo: user "${DEMO_USER}", password "${DEMO_PASSWORD}" (loopback only).`,
          );
      });
      const stop = () => server.close(() => resolve());
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
