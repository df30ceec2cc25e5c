// Ingest and compute: the ingest function runs when a file lands under uploads/, the compute
// function runs one measure family (directly, or per shard inside the fan-out state machine), and
// the staff work the API queues under requests/ (a computation, a BCA run or publish).
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { Construct } from 'constructs';
import { CorridorFunction } from '../constructs/corridor-function';
import { type DataBucketName, importDataBucket } from '../constructs/data-bucket-name';
import { ShardFanout } from '../constructs/shard-fanout';
import { fanoutDefaults } from '../constructs/shard-fanout-defaults';

export interface PipelineStackProps extends StackProps {
  bucketName: DataBucketName;
  codeVersion: string;
}

/**
 * The cloud trigger prefix. Staff uploads land at uploads/<dataset>/<file>; the ingest archives the
 * file under raw/<dataset>/<ingest_id>/ itself (ARCHITECTURE.md "Storage keys"). Triggering on
 * raw/ would re-run the ingest on its own archive copies and reports.
 */
export const UPLOAD_PREFIX = 'uploads/';

/** Where the ingest records each upload's outcome for the API's status route (lib/api/upload-jobs.ts). */
export const UPLOAD_STATUS_PREFIX = 'uploads-status/';

/**
 * Staff work the API cannot do within API Gateway's 29 s or its grants (lib/api/staff-requests.ts):
 * a request record created here starts the compute function.
 */
export const REQUEST_PREFIX = 'requests/';

/** The compute function's outcome of each request, outside the trigger prefix: the API may only read it. */
export const REQUEST_STATUS_PREFIX = 'requests-status/';

export class PipelineStack extends Stack {
  readonly ingest: CorridorFunction;
  readonly compute: CorridorFunction;
  readonly fanout: ShardFanout;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { codeVersion } = props;
    const store = importDataBucket(this, props.bucketName);
    const { bucket } = store;

    this.ingest = new CorridorFunction(this, 'Ingest', {
      entry: 'ingest',
      description: 'Validate an uploaded file and publish it as a new curated dataset version',
      size: 'batch',
      store,
      codeVersion,
    });
    // Reads the upload and the manifest (content-hash check, compare-and-swap); writes the raw
    // archive, Parquet, version record, report and manifest, and the upload's status record.
    this.ingest.allow({
      read: [UPLOAD_PREFIX, 'catalog/'],
      write: ['raw/', 'curated/', 'catalog/', UPLOAD_STATUS_PREFIX],
    });
    new Rule(this, 'UploadCreated', {
      description: `Ingest each object created under ${UPLOAD_PREFIX}`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [bucket.bucketName] }, object: { key: [{ prefix: UPLOAD_PREFIX }] } },
      },
      targets: [new LambdaFunction(this.ingest.fn, { retryAttempts: 2, maxEventAge: Duration.hours(6) })],
    });

    this.compute = new CorridorFunction(this, 'Compute', {
      entry: 'compute',
      description: 'Run one measure family (or one shard of it) and publish the results with lineage',
      size: 'batch',
      store,
      codeVersion,
    });
    // Reads dataset versions and the results index (compare-and-swap); the reduce step reads the
    // Distributed Map results and the shard outputs. Writes results/, and under the fan-out
    // scratch the plan's task manifest and each shard task's per-TMC tables (tmp/ expires in 7 days).
    // Staff requests: reads the record, runs it and records the outcome; a BCA run keeps its
    // outputs under staff/bca/ (read back to publish them into results/), and both leave the same
    // append-only audit entries as a local run.
    this.compute.allow({
      read: ['curated/', 'catalog/', 'results/', fanoutDefaults.prefix, REQUEST_PREFIX, 'staff/bca/'],
      write: ['results/', fanoutDefaults.prefix, REQUEST_STATUS_PREFIX, 'staff/bca/', 'audit/'],
    });
    // An S3 notification straight to Lambda would need the bucket's own notification configuration
    // (owned by the data stack); EventBridge is already on for uploads, and a rule here needs no
    // Lambda Invoke call (and no SigV4 client) in the API.
    new Rule(this, 'StaffRequestCreated', {
      description: `Run each staff request created under ${REQUEST_PREFIX}`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [bucket.bucketName] }, object: { key: [{ prefix: REQUEST_PREFIX }] } },
      },
      // One delivery attempt beyond the first: the function records failures itself and skips
      // requests it already finished, so a retry only follows a crash or a timeout.
      targets: [new LambdaFunction(this.compute.fn, { retryAttempts: 1, maxEventAge: Duration.hours(1) })],
    });

    this.fanout = new ShardFanout(this, 'ComputeFanout', { store, compute: this.compute.fn });
    // A PM3 plan (corridor compute pm3 --fanout plan, or the compute function with that flag)
    // writing tmp/fanout/pm3-…/tasks.jsonl starts the state machine.
    this.fanout.startOnManifest('pm3');
  }
}
