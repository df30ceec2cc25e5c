// The `corridor` CLI: the same lib/ calls as the Lambda functions, for a laptop.
import { createContext } from '../lib/context';
import { flagString, parseArgs } from './cli/args';
import { commands } from './commands/index';

const SWITCHES = new Set(['help', 'serve', 'strict', 'json', 'force', 'quiet', 'open', 'no-publish']);

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === 'help' || name === '-h') {
    console.log('corridor — performance measures, transit analytics and benefit-cost analysis for MPOs\n');
    console.log(
      'usage: corridor <command> [options]   (--data-dir DIR or CORRIDOR_DATA_DIR selects the store)\n',
    );
    for (const [n, load] of Object.entries(commands)) {
      const c = await load();
      console.log(`  ${n.padEnd(10)} ${c.summary}`);
    }
    return 0;
  }
  const load = commands[name];
  if (!load) {
    console.error(`corridor: unknown command ${name}. Try: corridor --help`);
    return 2;
  }
  const command = await load();
  const args = parseArgs(rest, SWITCHES);
  if (args.flags.help) {
    console.log(`usage: ${command.usage}\n\n${command.summary}`);
    return 0;
  }
  const dataDir = flagString(args, 'data-dir');
  const ctx = await createContext(
    dataDir ? { dataDir: (await import('node:path')).resolve(dataDir), storage: 'fs' } : {},
  );
  return command.run(args, ctx);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: Error) => {
    console.error(`corridor: ${e.message}`);
    if (process.env.CORRIDOR_DEBUG) console.error(e.stack);
    process.exitCode = 1;
  },
);
