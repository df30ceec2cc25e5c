// Staff requests on AWS (lib/api/staff-requests.ts): a record under requests/ starts the compute
// function through an EventBridge rule; the status prefix lies outside the trigger, so recording an
// outcome starts nothing; the prefixes the stacks grant are the ones the code writes.
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_PREFIX, REQUEST_STATUS_PREFIX } from '../../cdk/stacks/pipeline-stack';
import {
  REQUEST_PREFIX as LIB_PREFIX,
  REQUEST_STATUS_PREFIX as LIB_STATUS,
} from '../../lib/api/staff-requests';
import { synthCorridor } from './corridor-app';

let t: ReturnType<typeof synthCorridor>;
beforeAll(() => {
  t = synthCorridor();
});

describe('staff request trigger', () => {
  it('uses the prefixes the API and the compute function use', () => {
    expect(REQUEST_PREFIX).toBe(LIB_PREFIX);
    expect(REQUEST_STATUS_PREFIX).toBe(LIB_STATUS);
    expect(REQUEST_STATUS_PREFIX.startsWith(REQUEST_PREFIX)).toBe(false);
  });

  it('runs the compute function on Object Created under requests/ of the data bucket', () => {
    t.pipeline.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { bucket: { name: [Match.anyValue()] }, object: { key: [{ prefix: 'requests/' }] } },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ComputeFn'), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 3600 },
        }),
      ],
    });
    // EventBridge may invoke it (the rule's target permission).
    t.pipeline.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ComputeFn'), 'Arn'] },
    });
  });
});
