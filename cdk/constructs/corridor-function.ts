// One Lambda entry point from functions/, bundled with DuckDB for arm64, with its own log group and
// a role that starts empty: callers add exactly the grants the function needs.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type DataBucket, grantPrefixes, type PrefixGrants } from './bucket-grants';
import { bundleDir, bundlingDefaults, functionDefaults, functionSizes } from './corridor-function-defaults';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CorridorFunctionProps {
  /** File name under functions/ without extension: 'ingest', 'compute', 'api'. */
  entry: string;
  description: string;
  size: keyof typeof functionSizes;
  store: DataBucket;
  codeVersion: string;
}

export class CorridorFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  private readonly store: DataBucket;

  constructor(scope: Construct, id: string, props: CorridorFunctionProps) {
    super(scope, id);
    this.store = props.store;
    const logGroup = new LogGroup(this, 'Logs', {
      retention: functionDefaults.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // A role without AWSLambdaBasicExecutionRole: that managed policy may write to any log group.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Corridor ${props.entry} function`,
    });
    this.fn = new NodejsFunction(this, 'Fn', {
      entry: join(repoRoot, 'functions', `${props.entry}.ts`),
      handler: `${bundleDir}/index.handler`,
      projectRoot: repoRoot,
      depsLockFilePath: join(repoRoot, 'package-lock.json'),
      description: props.description,
      runtime: functionDefaults.runtime,
      architecture: functionDefaults.architecture,
      tracing: functionDefaults.tracing,
      loggingFormat: functionDefaults.loggingFormat,
      logGroup,
      role: this.role,
      ...functionSizes[props.size],
      environment: {
        CORRIDOR_BUCKET: props.store.bucket.bucketName,
        CORRIDOR_CODE_VERSION: props.codeVersion,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: bundlingDefaults(repoRoot),
    });
    // grantWrite adds logs:CreateLogStream and logs:PutLogEvents on this log group only.
    logGroup.grantWrite(this.role);
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions.',
    });
  }

  /** Exactly these prefixes of the data bucket (bucket-grants.ts). */
  allow(grants: PrefixGrants) {
    grantPrefixes(this.store, this.role, this, grants);
  }
}
