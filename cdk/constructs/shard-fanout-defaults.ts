// Limits of the compute fan-out state machine.
import { Duration } from 'aws-cdk-lib';

export const fanoutDefaults = {
  /** Where task manifests (JSONL) and Distributed Map results live; tmp/ expires after 7 days. */
  prefix: 'tmp/fanout/',
  // Concurrent shard Lambdas; well under the default account concurrency of 1000.
  maxConcurrency: 40,
  // A published measure must cover every shard: one failed shard fails the run.
  toleratedFailurePercentage: 0,
  // Fifteen-minute shards, a few waves of them, then the reduce.
  timeout: Duration.hours(6),
};
