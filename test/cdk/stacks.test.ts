// The template properties that matter: storage locked down, functions sized and traced, every
// role limited to the prefixes it needs (research/ecosystem.md §2; STYLE.md §8: specific
// properties, not snapshots).
import { Stack, Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleDir } from '../../cdk/constructs/corridor-function-defaults';
import { allowedResources, arnText, statementsFor, synthCorridor, testApp } from './corridor-app';

let t: ReturnType<typeof synthCorridor>;
beforeAll(() => {
  // Throws ValidationFailed, listing every finding, if cdk-nag's AwsSolutions pack reports any
  // finding that is not acknowledged in code.
  t = synthCorridor();
});

describe('cdk-nag AwsSolutions', () => {
  it('reports findings (the plugin is active: an unhardened bucket fails the synth)', () => {
    const app = testApp();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    new Bucket(new Stack(app, 'Bare'), 'Bucket');
    expect(() => app.synth()).toThrow(/AwsSolutions-S10/);
  });

  it('passes with only these acknowledgements, each with its reason', () => {
    const families = new Set(t.acknowledged.map((a) => a.id.replace(/\[.*$/, '')));
    // Adding a new kind of acknowledgement should be a reviewed change to this list.
    expect([...families].sort()).toEqual([
      'AwsSolutions-APIG4',
      // The portal distribution (cdk/constructs/portal-site.ts): no geo restriction, no WAF, and
      // the default *.cloudfront.net certificate unless a custom domain is configured.
      'AwsSolutions-CFR1',
      'AwsSolutions-CFR2',
      'AwsSolutions-CFR4',
      'AwsSolutions-COG2',
      'AwsSolutions-IAM4',
      'AwsSolutions-IAM5',
      'AwsSolutions-S1',
      'AwsSolutions-SMG4',
    ]);
    for (const a of t.acknowledged) expect(a.reason.length, `${a.path} ${a.id}`).toBeGreaterThan(40);
    // The only managed policy is CDK's own notification handler; S1 only on the access-log bucket.
    expect(t.acknowledged.filter((a) => a.id.startsWith('AwsSolutions-IAM4')).map((a) => a.path)).toEqual([
      expect.stringMatching(/^\/CorridorData\/BucketNotificationsHandler/),
    ]);
    expect(t.acknowledged.filter((a) => a.id === 'AwsSolutions-S1').map((a) => a.path)).toEqual([
      '/CorridorData/AccessLogs',
      '/CorridorPortal/PortalSite/Logs',
    ]);
    // Optional MFA (COG2) only on the staff pool; Plus tier and the password policy pass COG8/COG1.
    expect(t.acknowledged.filter((a) => a.id === 'AwsSolutions-COG2').map((a) => a.path)).toEqual([
      '/CorridorApi/Staff/Pool',
    ]);
    // Wildcards acknowledged on object ARNs are prefix-scoped (or the fan-out's, denied outside its prefix).
    const objectWildcards = t.acknowledged.filter((a) => a.id.includes(':s3:::')).map((a) => a.id);
    for (const id of objectWildcards) expect(id).toMatch(/\/([\w-]+\/)+\*\]$|corridor-data-[^/]+\/\*\]$/);
  });
});

const bucketArn = 'arn:<AWS::Partition>:s3:::corridor-data-<AWS::AccountId>-<AWS::Region>';
const objects = (prefix: string) => `${bucketArn}/${prefix}*`;

describe('data stack', () => {
  it('keeps the data bucket encrypted, versioned, private, owner-enforced, logged and retained', () => {
    t.data.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BucketName: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LoggingConfiguration: {
          DestinationBucketName: { Ref: Match.stringLikeRegexp('^AccessLogs') },
          LogFilePrefix: 'data/',
        },
      }),
    });
  });

  it('has the lifecycle rules: multipart 1 d, noncurrent versions 90 d, tmp/ 7 d, uploads/ and uploads-status/ 30 d', () => {
    const [data] = Object.values(
      t.data.findResources('AWS::S3::Bucket', { Properties: { VersioningConfiguration: Match.anyValue() } }),
    );
    const rules = (data!.Properties as { LifecycleConfiguration: { Rules: Record<string, unknown>[] } })
      .LifecycleConfiguration.Rules;
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          Status: 'Enabled',
        }),
        expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 90 }, Status: 'Enabled' }),
        expect.objectContaining({ Prefix: 'tmp/', ExpirationInDays: 7, Status: 'Enabled' }),
        expect.objectContaining({ Prefix: 'uploads/', ExpirationInDays: 30, Status: 'Enabled' }),
        expect.objectContaining({ Prefix: 'uploads-status/', ExpirationInDays: 30, Status: 'Enabled' }),
      ]),
    );
  });

  it('denies every request that does not use TLS, on both buckets', () => {
    const policies = Object.values(t.data.findResources('AWS::S3::BucketPolicy'));
    expect(policies).toHaveLength(2);
    for (const p of policies) {
      const statements = (p.Properties as { PolicyDocument: { Statement: Record<string, unknown>[] } })
        .PolicyDocument.Statement;
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Principal: { AWS: '*' },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('blocks public access on the access-log bucket too', () => {
    expect(Object.keys(t.data.findResources('AWS::S3::Bucket'))).toHaveLength(2);
    t.data.allResourcesProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: Match.objectLike({
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      }),
      BucketEncryption: Match.anyValue(),
    });
  });

  it('sends Object Created events to EventBridge', () => {
    t.data.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: { EventBridgeConfiguration: {} },
    });
  });
});

describe('functions', () => {
  const batch = { MemorySize: 3008, Timeout: 900, EphemeralStorage: { Size: 10240 } };
  it.each([
    ['pipeline', 'Ingest', batch],
    ['pipeline', 'Compute', batch],
    ['api', 'Api', { MemorySize: 1024, Timeout: 29 }],
  ] as const)(
    '%s %s: Node 24 on arm64, sized, traced, JSON logs, bucket and code version set',
    (stack, name, size) => {
      const template = t[stack];
      const fns = template.findResources('AWS::Lambda::Function', {
        Properties: Match.objectLike({ Description: Match.anyValue() }),
      });
      const [, fn] = Object.entries(fns).find(([id]) => id.startsWith(`${name}Fn`)) ?? [];
      expect(fn, `${name} function`).toBeDefined();
      expect(fn!.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: `${bundleDir}/index.handler`,
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: {
          LogFormat: 'JSON',
          LogGroup: { Ref: expect.stringMatching(new RegExp(`^${name}Logs`)) },
        },
        Environment: {
          Variables: expect.objectContaining({
            CORRIDOR_BUCKET: expect.objectContaining({ 'Fn::Join': expect.anything() }),
            CORRIDOR_CODE_VERSION: 'abc1234',
          }),
        },
        ...size,
      });
    },
  );

  it('keeps function logs for a year', () => {
    for (const template of [t.pipeline, t.api]) {
      template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    }
  });

  it('gives function roles no AWS managed policies', () => {
    for (const template of [t.pipeline, t.api]) {
      for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
        expect((role.Properties as { ManagedPolicyArns?: unknown }).ManagedPolicyArns).toBeUndefined();
      }
    }
  });
});

describe('least-privilege grants', () => {
  it('ingest: reads uploads/ and catalog/, writes raw/ curated/ catalog/ uploads-status/, deletes nothing', () => {
    const s = statementsFor(t.pipeline, 'IngestRole');
    expect(allowedResources(s, 's3:GetObject').sort()).toEqual([objects('catalog/'), objects('uploads/')]);
    expect(allowedResources(s, 's3:PutObject').sort()).toEqual([
      objects('catalog/'),
      objects('curated/'),
      objects('raw/'),
      objects('uploads-status/'),
    ]);
    // Never its own trigger prefix: nothing it writes can start another ingest.
    expect(allowedResources(s, 's3:PutObject')).not.toContain(objects('uploads/'));
    expect(allowedResources(s, 's3:DeleteObject')).toEqual([]);
  });

  it('compute: reads curated/ catalog/ results/, the fan-out scratch and staff requests, writes results/, the fan-out scratch and request outcomes', () => {
    const s = statementsFor(t.pipeline, 'ComputeRole');
    expect(allowedResources(s, 's3:GetObject').sort()).toEqual(
      ['catalog/', 'curated/', 'requests/', 'results/', 'staff/bca/', 'tmp/fanout/'].map(objects),
    );
    expect(allowedResources(s, 's3:PutObject').sort()).toEqual(
      ['audit/', 'requests-status/', 'results/', 'staff/bca/', 'tmp/fanout/'].map(objects),
    );
    // Never its own request trigger prefix.
    expect(allowedResources(s, 's3:PutObject')).not.toContain(objects('requests/'));
    expect(allowedResources(s, 's3:PutObject')).not.toContain(objects('curated/'));
    expect(allowedResources(s, 's3:DeleteObject')).toEqual([]);
  });

  it('api: read-only except staff uploads, staff requests and the append-only audit log', () => {
    const s = statementsFor(t.api, 'ApiRole');
    expect(allowedResources(s, 's3:PutObject').sort()).toEqual(
      ['audit/', 'requests/', 'uploads/'].map(objects),
    );
    // Upload status comes from the ingest's records, not from reading uploads back.
    expect(allowedResources(s, 's3:GetObject').sort()).toEqual(
      [
        'audit/',
        'catalog/',
        'curated/',
        'requests-status/',
        'requests/',
        'results/',
        'staff/bca/',
        'uploads-status/',
      ].map(objects),
    );
    // Results and request outcomes are the compute function's to write.
    expect(allowedResources(s, 's3:PutObject')).not.toContain(objects('results/'));
    expect(allowedResources(s, 's3:PutObject')).not.toContain(objects('requests-status/'));
    expect(allowedResources(s, 's3:GetObject')).not.toContain(objects('uploads/'));
    expect(allowedResources(s, 's3:DeleteObject')).toEqual([]);
  });

  it('lists the bucket (404 rather than 403 for a missing key) but never another bucket', () => {
    for (const [template, role] of [
      [t.pipeline, 'IngestRole'],
      [t.pipeline, 'ComputeRole'],
      [t.api, 'ApiRole'],
    ] as const) {
      expect(allowedResources(statementsFor(template, role), 's3:ListBucket')).toEqual([bucketArn]);
    }
  });

  it('writes logs only to the function’s own log group; * only for X-Ray', () => {
    const s = statementsFor(t.pipeline, 'ComputeRole');
    expect(allowedResources(s, 'logs:PutLogEvents')).toEqual(['<ComputeLogsE27FA7AF.Arn>']);
    const star = s.filter((x) => x.effect === 'Allow' && x.resources.includes('*'));
    expect(star.flatMap((x) => x.actions).every((a) => a.startsWith('xray:'))).toBe(true);
  });
});

describe('pipeline wiring', () => {
  it('triggers the ingest on Object Created under uploads/ of the data bucket only', () => {
    t.pipeline.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { bucket: { name: [Match.anyValue()] }, object: { key: [{ prefix: 'uploads/' }] } },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IngestFn'), 'Arn'] },
          RetryPolicy: Match.anyValue(),
        }),
      ],
    });
  });

  it('fans compute out with a Distributed Map over a JSONL manifest, then reduces', () => {
    const [sm] = Object.values(t.pipeline.findResources('AWS::StepFunctions::StateMachine'));
    const props = sm!.Properties as {
      DefinitionString: unknown;
      TracingConfiguration: unknown;
      LoggingConfiguration: { Level: string };
    };
    const definition = JSON.parse(
      (props.DefinitionString as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1]
        .map((p) => (typeof p === 'string' ? p : 'X'))
        .join(''),
    );
    const map = definition.States.Shards;
    expect(map.Type).toBe('Map');
    expect(map.ItemProcessor.ProcessorConfig).toMatchObject({ Mode: 'DISTRIBUTED' });
    expect(map.ItemReader).toMatchObject({
      ReaderConfig: { InputType: 'JSONL' },
      Parameters: { 'Key.$': '$.manifestKey' },
    });
    expect(map.ResultWriter.Parameters.Prefix).toBe('tmp/fanout/results');
    expect(map.Next).toBe('ReduceRequest');
    expect(definition.States.ReduceRequest.Next).toBe('Reduce');
    expect(props.TracingConfiguration).toEqual({ Enabled: true });
    expect(props.LoggingConfiguration.Level).toBe('ALL');
  });

  it('keeps the state machine’s object access inside tmp/fanout/', () => {
    const s = statementsFor(t.pipeline, 'ComputeFanoutStateMachineRole');
    expect(s).toContainEqual(
      expect.objectContaining({
        effect: 'Deny',
        actions: expect.arrayContaining(['s3:GetObject', 's3:PutObject']),
        notResources: [objects('tmp/fanout/')],
      }),
    );
  });
});

describe('api stack', () => {
  it('serves the api function through an HTTP API stage with access logs and throttling', () => {
    t.api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
    t.api.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    });
  });
});

describe('staff sign-in (Cognito)', () => {
  it('has one user pool: invited accounts, e-mail sign-in, optional TOTP MFA, Plus tier, retained', () => {
    const pools = Object.values(t.api.findResources('AWS::Cognito::UserPool'));
    expect(pools).toHaveLength(1);
    expect(pools[0]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(pools[0]!.Properties).toMatchObject({
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UsernameAttributes: ['email'],
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      DeletionProtection: 'ACTIVE',
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
    });
  });

  it('requires 12+ characters with lower and upper case, digits and symbols (cdk-nag COG1)', () => {
    t.api.hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
          TemporaryPasswordValidityDays: 3,
        },
      },
    });
  });

  it('asks risky sign-ins for MFA and blocks compromised credentials', () => {
    t.api.hasResourceProperties('AWS::Cognito::UserPoolRiskConfigurationAttachment', {
      ClientId: 'ALL',
      UserPoolId: { Ref: Match.stringLikeRegexp('^StaffPool') },
      AccountTakeoverRiskConfiguration: {
        Actions: {
          LowAction: { EventAction: 'NO_ACTION', Notify: false },
          MediumAction: { EventAction: 'MFA_IF_CONFIGURED', Notify: false },
          HighAction: { EventAction: 'MFA_REQUIRED', Notify: false },
        },
      },
      CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'BLOCK' } },
    });
  });

  it('has the groups viewer, analyst and admin (the app roles), admin first', () => {
    const groups = Object.values(t.api.findResources('AWS::Cognito::UserPoolGroup')).map((g) => {
      const p = g.Properties as { GroupName: string; Precedence: number; UserPoolId: unknown };
      expect(p.UserPoolId).toEqual({ Ref: expect.stringMatching(/^StaffPool/) });
      return [p.GroupName, p.Precedence];
    });
    expect(groups.sort()).toEqual([
      ['admin', 0],
      ['analyst', 1],
      ['viewer', 2],
    ]);
  });

  it('has one public portal client: no secret, SRP sign-in, no user-existence leaks', () => {
    const clients = Object.values(t.api.findResources('AWS::Cognito::UserPoolClient'));
    expect(clients).toHaveLength(1);
    const p = clients[0]!.Properties as Record<string, unknown>;
    expect(p).toMatchObject({
      GenerateSecret: false,
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      // As short as the app's renewable session (lib/auth/sessions.ts COGNITO_SESSION_TTL_S).
      AccessTokenValidity: 15,
      IdTokenValidity: 15,
      RefreshTokenValidity: 480,
    });
    expect(p.ExplicitAuthFlows).toEqual(
      expect.arrayContaining(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
    );
    expect(p.ExplicitAuthFlows).not.toContain('ALLOW_USER_PASSWORD_AUTH');
  });

  it('gives the api function the issuer, client id and JWKS URL of that pool and client', () => {
    const fns = t.api.findResources('AWS::Lambda::Function', {
      Properties: Match.objectLike({ Description: Match.stringLikeRegexp('HTTP API') }),
    });
    const [fn] = Object.values(fns);
    const env = (fn!.Properties as { Environment: { Variables: Record<string, unknown> } }).Environment
      .Variables;
    const issuer = arnText(env.CORRIDOR_COGNITO_ISSUER);
    expect(issuer).toMatch(/^https:\/\/cognito-idp\.<AWS::Region>\.<AWS::URLSuffix>\/<StaffPool\w+>$/);
    expect(arnText(env.CORRIDOR_COGNITO_JWKS_URL)).toBe(`${issuer}/.well-known/jwks.json`);
    expect(env.CORRIDOR_COGNITO_CLIENT_ID).toEqual({ Ref: expect.stringMatching(/^StaffPoolPortal/) });
  });
});
