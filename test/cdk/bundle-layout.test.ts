// lib/ modules locate queries/ and data/ relative to their own file; in the Lambda bundle every
// module shares the bundle's URL. Every such lookup in lib/ must land on a folder the asset has
// (corridor-function-defaults.ts), or the function fails at run time only, in AWS.
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../cdk/constructs/corridor-function';
import {
  bundleDir,
  bundlingDefaults,
  resourceDirs,
  resourceRoots,
} from '../../cdk/constructs/corridor-function-defaults';

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const lookups = tsFiles(join(repoRoot, 'lib')).flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/new URL\(\s*'([^']+)',\s*import\.meta\.url\s*\)/g)].map((m) => ({
    file: relative(repoRoot, file),
    rel: m[1]!,
  })),
);

describe('Lambda asset layout', () => {
  it('finds the resource lookups in lib/ (the scan works)', () => {
    expect(lookups.map((l) => l.file)).toContain('lib/engine/runner.ts');
  });

  it.each(lookups)(
    '$file: $rel resolves to the same folder in the repo and in the asset',
    ({ file, rel }) => {
      const inRepo = posix.normalize(posix.join(posix.dirname(file), rel)); // e.g. queries, data/pm3/
      const inAsset = posix.normalize(posix.join(bundleDir, rel));
      if (file === 'lib/transit/accessibility-parallel.ts' && rel === './accessibility-worker.mjs') {
        // Worker threads are an optimisation: without the worker file (the Lambda bundle) the
        // accessibility run falls back to one thread (lib/transit/accessibility-parallel.ts).
        return;
      }
      if (!resourceDirs.includes(inRepo.split('/')[0]!)) {
        // Only lib/version.ts's fallbacks (git checkout, package.json), unused on Lambda where
        // CORRIDOR_CODE_VERSION is set, may miss; anything else must be a folder the asset carries.
        expect(file).toBe('lib/version.ts');
        expect(['.', 'package.json']).toContain(inRepo);
        return;
      }
      const copies = resourceRoots.map((r) => posix.normalize(posix.join(r, inRepo)));
      expect(copies, `${file} reads ${inAsset} in the bundle`).toContain(inAsset);
    },
  );

  it('moves the bundle into bundleDir and copies the resources to every root', () => {
    const cmds = bundlingDefaults('/repo').commandHooks!.afterBundling('/in', '/out');
    expect(cmds).toContain(`mv "/out"/index.mjs* "/out/${bundleDir}/"`);
    for (const r of resourceRoots) expect(cmds).toContain(`cp -R "/repo/queries" "/repo/data" "/out/${r}/"`);
  });
});
