// Defaults shared by every Corridor Lambda function (STYLE.md §8: defaults live beside the construct).
import { Duration, Size } from 'aws-cdk-lib';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/** Sizes per function role. Ingest and compute run DuckDB over whole datasets; the API answers within API Gateway's 30 s. */
export const functionSizes = {
  // 3008 MB is the largest size every region allows without a quota request (~1.7 vCPU); 15 min is
  // Lambda's ceiling, and /tmp at 10 GiB holds downloaded Parquet plus DuckDB's spill
  // (research/ecosystem.md §1.2).
  batch: { memorySize: 3008, timeout: Duration.minutes(15), ephemeralStorageSize: Size.gibibytes(10) },
  // HTTP API integrations time out at 30 s; 29 s lets the function answer before the gateway gives up.
  api: { memorySize: 1024, timeout: Duration.seconds(29), ephemeralStorageSize: Size.mebibytes(2048) },
} as const;

export const functionDefaults = {
  // Node 20 on Lambda is past end of life; 24 is the newest runtime in aws-cdk-lib 2.276 (cdk-nag L1).
  runtime: Runtime.NODEJS_24_X,
  // Graviton: cheaper per GB-second, and @duckdb/node-api 1.5.5-r.5 ships a linux-arm64 binding.
  architecture: Architecture.ARM_64,
  tracing: Tracing.ACTIVE,
  loggingFormat: LoggingFormat.JSON,
  // Lineage and ingest reports are the audit trail; logs are kept a year for compliance reviews.
  logRetention: RetentionDays.ONE_YEAR,
};

/**
 * lib/ modules find queries/ and data/ relative to their own file (`new URL('../../queries',
 * import.meta.url)` from lib/engine/runner.ts, '../../../data/pm3/' from lib/measures/pm3/). In
 * the bundle every module shares the bundle's URL, so the bundle sits three folders deep and the
 * resource folders are copied to each level a lib/ module at depth 1 to 3 resolves to
 * (test/cdk/bundle-layout.test.ts checks every such path in lib/). They are tens of kilobytes.
 */
export const bundleDir = 'app/lib/functions';
export const resourceDirs = ['queries', 'data'];
export const resourceRoots = ['.', 'app', 'app/lib'];

export function bundlingDefaults(repoRoot: string): BundlingOptions {
  return {
    format: OutputFormat.ESM,
    target: 'node24',
    minify: true,
    sourceMap: true,
    mainFields: ['module', 'main'],
    // Some CommonJS dependencies call require() on Node built-ins; ESM bundles need it defined.
    banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    // Bundle the AWS SDK too, so Lambda runs the SDK version the tests ran (the runtime's copy drifts).
    externalModules: [],
    // Installed into the asset, not bundled: DuckDB's native binding cannot be bundled
    // (duckdb-node-neo#126), pdfkit reads its font metrics from __dirname, which ESM lacks, and
    // highs (the BCA selection solver) loads highs.wasm from beside its own file.
    nodeModules: ['@duckdb/node-api', 'pdfkit', 'highs'],
    // npm picks the optional binding package for the target, not the build host:
    // @duckdb/node-bindings-linux-arm64 (research/ecosystem.md §2.1).
    environment: { npm_config_cpu: 'arm64', npm_config_os: 'linux', npm_config_libc: 'glibc' },
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (_input, out) => [
        `mkdir -p "${out}/${bundleDir}"`,
        `mv "${out}"/index.mjs* "${out}/${bundleDir}/"`,
        ...resourceRoots.map(
          (r) => `cp -R ${resourceDirs.map((d) => `"${repoRoot}/${d}"`).join(' ')} "${out}/${r}/"`,
        ),
      ],
    },
  };
}
