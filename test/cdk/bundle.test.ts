// The real Lambda assets, built as `npm run synth` builds them (esbuild, then npm ci of
// @duckdb/node-api and pdfkit for linux-arm64 into each asset), then run on this machine with the
// host's DuckDB binding swapped in. Slow (about a minute) and it installs from the npm registry,
// so it runs only on request:  CORRIDOR_TEST_BUNDLE=1 npx vitest run test/cdk/bundle.test.ts
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { CorridorFunction, repoRoot } from '../../cdk/constructs/corridor-function';
import { bundleDir, resourceRoots } from '../../cdk/constructs/corridor-function-defaults';
import { generateAcsDemo } from '../../lib/demo/acs';

const enabled = Boolean(process.env.CORRIDOR_TEST_BUNDLE);
const out = mkdtempSync(join(tmpdir(), 'corridor-bundle-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const entries = ['ingest', 'compute', 'api'] as const;

describe.skipIf(!enabled)('bundled functions (set CORRIDOR_TEST_BUNDLE=1 to run)', () => {
  const assets: Record<string, string> = {};

  it('bundles ESM into the bundle folder, with resources and only the linux-arm64 DuckDB binding', () => {
    const app = new App({ outdir: join(out, 'cdk.out') });
    const stack = new Stack(app, 'Bundle');
    const store = { bucket: Bucket.fromBucketName(stack, 'B', 'corridor-test'), nagName: 'corridor-test' };
    for (const entry of entries) {
      new CorridorFunction(stack, entry, {
        entry,
        description: entry,
        size: 'api',
        store,
        codeVersion: 'bundle-test',
      });
    }
    const template = Template.fromStack(stack);
    for (const [id, fn] of Object.entries(template.findResources('AWS::Lambda::Function'))) {
      const entry = entries.find((e) => id.startsWith(e))!;
      const key = (fn.Properties as { Code: { S3Key: string } }).Code.S3Key;
      assets[entry] = join(out, 'cdk.out', `asset.${key.replace(/\.zip$/, '')}`);
    }
    expect(Object.keys(assets).sort()).toEqual([...entries].sort());
    for (const asset of Object.values(assets)) {
      expect(existsSync(join(asset, bundleDir, 'index.mjs'))).toBe(true);
      for (const r of resourceRoots) expect(existsSync(join(asset, r, 'queries')), `${r}/queries`).toBe(true);
      expect(existsSync(join(asset, 'node_modules', 'pdfkit'))).toBe(true);
      expect(existsSync(join(asset, 'node_modules', 'highs', 'build', 'highs.wasm'))).toBe(true);
      expect(readdirSync(join(asset, 'node_modules', '@duckdb')).sort()).toEqual([
        'node-api',
        'node-bindings',
        'node-bindings-linux-arm64',
      ]);
      const so = join(asset, 'node_modules', '@duckdb', 'node-bindings-linux-arm64', 'libduckdb.so');
      expect(execFileSync('file', ['-b', so]).toString()).toMatch(/ARM aarch64/);
    }
  }, 600_000);

  it.skipIf(process.arch !== 'x64')(
    'runs upload → ingest → compute → api on a folder store',
    async () => {
      expect(Object.keys(assets)).toHaveLength(3);
      const run = join(out, 'run');
      for (const [entry, asset] of Object.entries(assets)) {
        cpSync(asset, join(run, entry), { recursive: true });
        const binding = join('node_modules', '@duckdb', 'node-bindings-linux-x64');
        cpSync(join(repoRoot, binding), join(run, entry, binding), { recursive: true });
      }
      const [csv] = await generateAcsDemo(join(out, 'acs'));
      const key = `uploads/acs_b08301/${csv!.split('/').at(-1)}`;
      mkdirSync(join(out, 'store', 'uploads', 'acs_b08301'), { recursive: true });
      cpSync(csv!, join(out, 'store', key));
      const call = (entry: string, event: unknown) => {
        const script = `const { handler } = await import('./${entry}/${bundleDir}/index.mjs');
        process.stdout.write(JSON.stringify(await handler(${JSON.stringify(event)})));`;
        const env = {
          ...process.env,
          CORRIDOR_DATA_DIR: join(out, 'store'),
          CORRIDOR_BUCKET: '',
          CORRIDOR_CODE_VERSION: 'bundle',
        };
        return JSON.parse(
          execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: run, env }).toString(),
        );
      };
      const detail = { bucket: { name: 'corridor-test' }, object: { key } };
      expect(call('ingest', { 'detail-type': 'Object Created', detail })).toMatchObject({
        status: 'published',
        errors: 0,
      });
      expect(call('compute', { family: 'commute_mode' })).toMatchObject({ runId: expect.any(String) });
      const get = (path: string) => ({
        version: '2.0',
        rawPath: path,
        rawQueryString: '',
        headers: { host: 'x' },
        requestContext: { http: { method: 'GET', path }, domainName: 'x' },
        isBase64Encoded: false,
      });
      const res = call('api', get('/api/datasets'));
      expect(res.statusCode).toBe(200);
      expect(JSON.parse(res.body).datasets).toContainEqual(expect.objectContaining({ id: 'acs_b08301' }));
    },
    120_000,
  );
});
