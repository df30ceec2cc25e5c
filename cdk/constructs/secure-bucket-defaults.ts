// Bucket settings every Corridor bucket shares (research/ecosystem.md §2.5), and the data bucket's
// lifecycle rules.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  BlockPublicAccess,
  BucketEncryption,
  type BucketProps,
  type CorsRule,
  HttpMethods,
  type LifecycleRule,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';

export const bucketDefaults = {
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  // SSE-S3: the only encryption S3 server access logging can deliver to; KMS can replace it on the
  // data bucket when an MPO's policy asks for customer-managed keys.
  encryption: BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
  // Curated versions, raw uploads and lineage are the audit trail: never deleted with the stack.
  removalPolicy: RemovalPolicy.RETAIN,
} satisfies BucketProps;

export const dataLifecycleRules: LifecycleRule[] = [
  { id: 'abort-incomplete-multipart', abortIncompleteMultipartUploadAfter: Duration.days(1) },
  // Old manifests and reports stay recoverable for a quarter after they are replaced.
  { id: 'expire-noncurrent', noncurrentVersionExpiration: Duration.days(90) },
  // Scratch: fan-out manifests and Distributed Map results (pipeline-stack.ts).
  { id: 'expire-tmp', prefix: 'tmp/', expiration: Duration.days(7) },
  // The ingest archives every upload under raw/ before validating it, so the uploads/ copy is only
  // needed until the ingest (and its retries) ran.
  { id: 'expire-uploads', prefix: 'uploads/', expiration: Duration.days(30) },
  // Each upload's status record (functions/ingest.ts) only lets staff follow it; the ingest's
  // reports under raw/ and catalog/ are the lasting record.
  { id: 'expire-upload-status', prefix: 'uploads-status/', expiration: Duration.days(30) },
  // Direct uploads that were never completed (lib/api/staff-direct-upload.ts; completing moves
  // the file on or the ingest deletes it).
  { id: 'expire-incoming', prefix: 'incoming/', expiration: Duration.days(2) },
  // Staff requests (lib/api/staff-requests.ts; prefixes as pipeline-stack.ts REQUEST_PREFIX and
  // REQUEST_STATUS_PREFIX) only carry work to the compute function and let staff follow it: the
  // run, its audit entries and its results are the lasting record. A BCA run's record holds the
  // whole scenario, so the versions expiry leaves behind go after a day rather than the bucket's 90
  // (overlapping expiry rules: S3 honours the shorter, "How Amazon S3 handles conflicts in
  // lifecycle configurations", S3 User Guide).
  {
    id: 'expire-requests',
    prefix: 'requests/',
    expiration: Duration.days(30),
    noncurrentVersionExpiration: Duration.days(1),
  },
  {
    id: 'expire-request-status',
    prefix: 'requests-status/',
    expiration: Duration.days(30),
    noncurrentVersionExpiration: Duration.days(1),
  },
];

/**
 * Staff browsers PUT large uploads straight to the data bucket with presigned URLs
 * (lib/api/staff-direct-upload.ts), a cross-origin request that S3 answers only under a CORS
 * rule. PUT only, with the one header the URL signs besides Content-Length. The signature, not
 * the origin, is the permission: a URL works from curl whatever this says, so '*' (the default)
 * exposes nothing more; name the portal's origins to keep other sites' pages from using a leaked
 * URL.
 */
export function directUploadCors(origins: string[]): CorsRule[] {
  return [
    {
      id: 'staff-direct-upload',
      allowedMethods: [HttpMethods.PUT],
      allowedOrigins: origins,
      allowedHeaders: ['content-type'],
      exposedHeaders: ['ETag'],
      maxAge: 3600,
    },
  ];
}

export const logsLifecycleRules: LifecycleRule[] = [
  { id: 'abort-incomplete-multipart', abortIncompleteMultipartUploadAfter: Duration.days(1) },
  { id: 'expire-access-logs', expiration: Duration.days(365) },
];
