// How the S3 adapter reads SDK errors: which mean "no such object", which a refused conditional
// write, as AWS and radosgw answer them.
import type { PutOptions } from './storage';

export function isConditional(opts: PutOptions) {
  return opts.ifNoneMatch !== undefined || opts.ifMatch !== undefined;
}

interface SdkError {
  name?: string;
  $metadata?: { httpStatusCode?: number };
}

/** A missing object; a missing bucket is a configuration error and must not read as "no object". */
export function isMissing(e: unknown) {
  const err = e as SdkError;
  if (err?.name === 'NoSuchBucket') return false;
  return err?.name === 'NoSuchKey' || err?.name === 'NotFound' || err?.$metadata?.httpStatusCode === 404;
}

/** 412 is the refused condition; 409 ConditionalRequestConflict is a concurrent conditional write. */
export function isPreconditionFailed(e: unknown) {
  const err = e as SdkError;
  const status = err?.$metadata?.httpStatusCode;
  return (
    err?.name === 'PreconditionFailed' ||
    err?.name === 'ConditionalRequestConflict' ||
    status === 412 ||
    status === 409
  );
}

export function reason(e: unknown) {
  const err = e as SdkError;
  return `${err?.name ?? 'error'} (HTTP ${err?.$metadata?.httpStatusCode ?? '?'})`;
}
