// The fan-out wiring PM3's plan relies on (lib/measures/pm3/fanout.ts): the compute function may
// write the task manifest and shard outputs under tmp/fanout/ and read them back, and a manifest
// written under tmp/fanout/pm3-* starts the state machine with the key and the reduce request.
import { beforeAll, describe, expect, it } from 'vitest';
import { manifestPattern } from '../../cdk/constructs/shard-fanout';
import { FANOUT_PREFIX, manifestKey, newRunId } from '../../lib/measures/pm3/fanout';
import { allowedResources, statementsFor, synthCorridor } from './corridor-app';

let t: ReturnType<typeof synthCorridor>;
beforeAll(() => {
  t = synthCorridor();
});

const objects = (prefix: string) =>
  `arn:<AWS::Partition>:s3:::corridor-data-<AWS::AccountId>-<AWS::Region>/${prefix}*`;

describe('compute fan-out (PM3)', () => {
  it('lets the compute function write and read tmp/fanout/ and list the bucket', () => {
    const s = statementsFor(t.pipeline, 'ComputeRole');
    expect(allowedResources(s, 's3:PutObject')).toContain(objects(FANOUT_PREFIX));
    expect(allowedResources(s, 's3:GetObject')).toContain(objects(FANOUT_PREFIX));
    expect(allowedResources(s, 's3:ListBucket')).toHaveLength(1);
    expect(allowedResources(s, 's3:DeleteObject')).toEqual([]);
  });

  it('starts the state machine when a PM3 plan writes its tasks.jsonl', () => {
    const rules = Object.values(t.pipeline.findResources('AWS::Events::Rule')).map(
      (r) => r.Properties as { EventPattern: Record<string, unknown>; Targets: Record<string, unknown>[] },
    );
    const rule = rules.find((r) =>
      JSON.stringify(r.EventPattern).includes(JSON.stringify({ wildcard: 'tmp/fanout/pm3-*/tasks.jsonl' })),
    );
    expect(rule, 'a rule on tmp/fanout/pm3-*/tasks.jsonl').toBeDefined();
    expect(rule!.EventPattern).toMatchObject({ source: ['aws.s3'], 'detail-type': ['Object Created'] });
    const [target] = rule!.Targets as { Arn: { Ref: string }; InputTransformer: Record<string, unknown> }[];
    expect(target!.Arn.Ref).toMatch(/^ComputeFanoutStateMachine/);
    const { InputPathsMap, InputTemplate } = target!.InputTransformer as {
      InputPathsMap: Record<string, string>;
      InputTemplate: string;
    };
    expect(Object.values(InputPathsMap)).toEqual(['$.detail.object.key']);
    const [name] = Object.keys(InputPathsMap);
    expect(JSON.parse(InputTemplate.replace(`<${name}>`, '"KEY"'))).toEqual({
      manifestKey: 'KEY',
      reduce: { family: 'pm3' },
    });
    // The rule's role may start this state machine and do nothing else.
    const events = statementsFor(t.pipeline, 'ComputeFanoutStateMachineEventsRole');
    expect(events).toEqual([
      expect.objectContaining({
        effect: 'Allow',
        actions: ['states:StartExecution'],
        resources: [expect.stringMatching(/^<ComputeFanoutStateMachine/)],
      }),
    ]);
  });

  it('matches the keys the PM3 plan writes, and not the map results beside them', () => {
    const re = new RegExp(`^${manifestPattern('pm3').replace(/[.]/g, '\\.').replace('*', '.*')}$`);
    expect(re.test(manifestKey(newRunId(2024)))).toBe(true);
    expect(re.test('tmp/fanout/results/abc/manifest.json')).toBe(false);
  });
});
