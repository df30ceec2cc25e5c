// `npm run bench -- <name> [args]`: runs bench/<name>.ts in its own process (each script writes its
// section of bench/RESULTS.md); with no name, lists them. One entry point so the README's
// instructions need no paths.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// Scripts that produce a RESULTS.md section; the rest of bench/ are their helpers.
const benches = ['ingest', 'pm3', 'transit', 'bca', 'load'].filter((n) =>
  readdirSync(here).includes(`${n}.ts`),
);
const [name, ...args] = process.argv.slice(2);
if (!name || !benches.includes(name)) {
  console.error(`usage: npm run bench -- <${benches.join('|')}> [script arguments]`);
  process.exit(name ? 2 : 0);
}
const r = spawnSync(
  process.execPath,
  [join(here, '..', 'bin', 'run-ts.js'), join(here, `${name}.ts`), ...args],
  {
    stdio: 'inherit',
  },
);
process.exit(r.status ?? 1);
