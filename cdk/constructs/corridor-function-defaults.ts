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
 * The bundle lands two folders deep (app/functions/index.mjs) so that lib/ modules, which find
 * queries/ and data/ as `new URL('../../queries', import.meta.url)`, resolve them at the asset root
 * where afterBundling copies them.
 */
export const bundleDir = 'app/functions';

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
    // DuckDB's native binding cannot be bundled (duckdb-node-neo#126): install it into the asset.
    nodeModules: ['@duckdb/node-api'],
    // npm picks the optional binding package for the target, not the build host:
    // @duckdb/node-bindings-linux-arm64 (research/ecosystem.md §2.1).
    environment: { npm_config_cpu: 'arm64', npm_config_os: 'linux', npm_config_libc: 'glibc' },
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (_input, out) => [
        `mkdir -p "${out}/${bundleDir}"`,
        `mv "${out}"/index.mjs* "${out}/${bundleDir}/"`,
        `cp -R "${repoRoot}/queries" "${repoRoot}/data" "${out}/"`,
      ],
    },
  };
}
