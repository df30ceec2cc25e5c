// The real Lambda asset, built as `npm run synth` builds it (esbuild, then npm ci of
// @duckdb/node-api for linux-arm64 into the asset). Slow (~20-60 s) and it installs from the npm
// registry, so it runs only on request: CORRIDOR_TEST_BUNDLE=1 npx vitest run test/cdk/bundle.test.ts
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { CorridorFunction, repoRoot } from '../../cdk/constructs/corridor-function';
import { bundleDir } from '../../cdk/constructs/corridor-function-defaults';

const enabled = Boolean(process.env.CORRIDOR_TEST_BUNDLE);
const out = mkdtempSync(join(tmpdir(), 'corridor-bundle-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe.skipIf(!enabled)('bundled api function (set CORRIDOR_TEST_BUNDLE=1 to run)', () => {
  let asset = '';

  it('bundles ESM into app/functions/ with queries/, data/ and only the linux-arm64 DuckDB binding', () => {
    const app = new App({ outdir: join(out, 'cdk.out') });
    const stack = new Stack(app, 'Bundle');
    new CorridorFunction(stack, 'Api', {
      entry: 'api',
      description: 'bundle test',
      size: 'api',
      store: { bucket: Bucket.fromBucketName(stack, 'B', 'corridor-test'), nagName: 'corridor-test' },
      codeVersion: 'bundle-test',
    });
    app.synth();
    const dirs = readdirSync(join(out, 'cdk.out')).filter((d) => d.startsWith('asset.'));
    expect(dirs).toHaveLength(1);
    asset = join(out, 'cdk.out', dirs[0]!);
    expect(existsSync(join(asset, bundleDir, 'index.mjs'))).toBe(true);
    expect(existsSync(join(asset, 'queries'))).toBe(true);
    expect(existsSync(join(asset, 'data'))).toBe(true);
    expect(readdirSync(join(asset, 'node_modules', '@duckdb')).sort()).toEqual([
      'node-api',
      'node-bindings',
      'node-bindings-linux-arm64',
    ]);
    const so = join(asset, 'node_modules', '@duckdb', 'node-bindings-linux-arm64', 'libduckdb.so');
    expect(execFileSync('file', ['-b', so]).toString()).toMatch(/ARM aarch64/);
  }, 300_000);

  it.skipIf(process.arch !== 'x64')(
    'runs: with the host binding swapped in, the handler answers /healthz',
    () => {
      expect(asset).not.toBe('');
      const copy = join(out, 'run');
      cpSync(asset, copy, { recursive: true });
      cpSync(
        join(repoRoot, 'node_modules', '@duckdb', 'node-bindings-linux-x64'),
        join(copy, 'node_modules', '@duckdb', 'node-bindings-linux-x64'),
        {
          recursive: true,
        },
      );
      const script = `
      const { handler } = await import('./${bundleDir}/index.mjs');
      const ev = { version: '2.0', rawPath: '/healthz', rawQueryString: '', headers: { host: 'x' },
        requestContext: { http: { method: 'GET', path: '/healthz' }, domainName: 'x' }, isBase64Encoded: false };
      const res = await handler(ev);
      process.stdout.write(JSON.stringify(res));`;
      const env = { ...process.env, CORRIDOR_DATA_DIR: join(out, 'store'), CORRIDOR_BUCKET: '' };
      const res = JSON.parse(
        execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: copy, env }).toString(),
      );
      expect(res.statusCode).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ ok: true });
    },
    60_000,
  );
});
