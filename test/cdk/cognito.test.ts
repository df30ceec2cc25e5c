// The staff browser sign-in's AWS side: the pool's managed login domain, the portal client's
// authorization-code settings (callback and sign-out URLs the app uses, scopes, no secret), and
// what the api function is told (lib/config.ts's CORRIDOR_COGNITO_* and the session key).
import { Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { dataBucketName } from '../../cdk/constructs/data-bucket-name';
import { staffAppPaths, staffOAuthScopes } from '../../cdk/constructs/staff-user-pool-defaults';
import { ApiStack, type StaffSignInConfig } from '../../cdk/stacks/api-stack';
import { arnText, testApp } from './corridor-app';

/** The api stack alone, as `cdk synth` builds it (cdk-nag registered first), with what it acknowledged. */
function synthApi(id: string, staffSignIn?: StaffSignInConfig) {
  const app = testApp();
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const prefix = id.replace(/Api$/, '');
  const stack = new ApiStack(app, id, {
    bucketName: dataBucketName(prefix),
    codeVersion: 'abc',
    staffSignIn,
  });
  const artifact = app.synth().getStackArtifact(stack.artifactId);
  const acknowledged = artifact.findMetadataByType('aws:cdk:acknowledged-rules').flatMap((e) =>
    Object.keys(e.data as unknown as Record<string, string>).map((rule) => ({
      path: e.path,
      id: rule.replace(/^Annotation::/, ''),
    })),
  );
  return { api: Template.fromJSON(artifact.template), acknowledged };
}

let t: ReturnType<typeof synthApi>;
beforeAll(() => {
  t = synthApi('CorridorApi');
});

const API = '<Http\\w+\\.ApiEndpoint>';

function apiEnv(template: Template) {
  const fns = template.findResources('AWS::Lambda::Function', {
    Properties: Match.objectLike({ Description: Match.stringLikeRegexp('HTTP API') }),
  });
  const [fn] = Object.values(fns);
  return (fn!.Properties as { Environment: { Variables: Record<string, unknown> } }).Environment.Variables;
}

function portalClient(template: Template) {
  const clients = Object.values(template.findResources('AWS::Cognito::UserPoolClient'));
  expect(clients).toHaveLength(1);
  return clients[0]!.Properties as Record<string, unknown>;
}

describe('staff managed login', () => {
  it('gives the pool a managed-login domain named after the stack and account, with Cognito’s branding', () => {
    const domains = Object.values(t.api.findResources('AWS::Cognito::UserPoolDomain'));
    expect(domains).toHaveLength(1);
    const p = domains[0]!.Properties as Record<string, unknown>;
    expect(arnText(p.Domain)).toBe('corridor-staff-<AWS::AccountId>');
    expect(p.ManagedLoginVersion).toBe(2);
    expect(p.UserPoolId).toEqual({ Ref: expect.stringMatching(/^StaffPool/) });
    t.api.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', {
      UserPoolId: { Ref: Match.stringLikeRegexp('^StaffPool') },
      ClientId: { Ref: Match.stringLikeRegexp('^StaffPoolPortal') },
      UseCognitoProvidedValues: true,
    });
  });

  it('lets the portal client use the code grant (no implicit flow, no secret) back to the API URL only', () => {
    const p = portalClient(t.api);
    expect(p.AllowedOAuthFlows).toEqual(['code']);
    expect(p.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect([...(p.AllowedOAuthScopes as string[])].sort()).toEqual([...staffOAuthScopes].sort());
    expect(p.SupportedIdentityProviders).toEqual(['COGNITO']);
    expect(p.GenerateSecret).toBe(false);
    expect((p.CallbackURLs as unknown[]).map(arnText)).toEqual([
      expect.stringMatching(new RegExp(`^${API}/staff/auth/callback$`)),
    ]);
    expect((p.LogoutURLs as unknown[]).map(arnText)).toEqual([
      expect.stringMatching(new RegExp(`^${API}/$`)),
    ]);
    // ID and access tokens as short as the app's session, the refresh token a working day
    // (test/cdk/staff-session-tokens.test.ts checks the rest of the refresh set-up).
    expect(p).toMatchObject({ IdTokenValidity: 15, AccessTokenValidity: 15, RefreshTokenValidity: 480 });
  });

  it('tells the api function where the managed login is and where it returns', () => {
    const env = apiEnv(t.api);
    expect(arnText(env.CORRIDOR_COGNITO_DOMAIN)).toMatch(
      /^https:\/\/<StaffPoolDomain\w+>\.auth\.<AWS::Region>\.amazoncognito\.com$/,
    );
    expect(arnText(env.CORRIDOR_COGNITO_REDIRECT_URI)).toMatch(
      new RegExp(`^${API}${staffAppPaths.callback}$`),
    );
    expect(arnText(env.CORRIDOR_COGNITO_LOGOUT_URI)).toMatch(new RegExp(`^${API}/$`));
    // The callback the function sends is one the client accepts.
    const callbacks = (portalClient(t.api).CallbackURLs as unknown[]).map(arnText);
    expect(callbacks).toContain(arnText(env.CORRIDOR_COGNITO_REDIRECT_URI));
  });

  it('gives every api instance the same session key, as a Secrets Manager reference (never a literal)', () => {
    const env = apiEnv(t.api);
    const key = arnText(env.CORRIDOR_SESSION_SECRET);
    expect(key).toMatch(/^\{\{resolve:secretsmanager:<StaffSessionKey\w+>:SecretString:::\}\}$/);
    t.api.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 48, ExcludePunctuation: true },
    });
    expect(t.acknowledged.filter((a) => a.id === 'AwsSolutions-SMG4').map((a) => a.path)).toEqual([
      // The portal distribution's edge secret (portal-edge.test.ts).
      '/CorridorApi/EdgeKey',
      '/CorridorApi/Staff/SessionKey',
    ]);
  });

  it('keeps MFA optional with TOTP only', () => {
    t.api.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    });
  });

  it('with a portal domain and a chosen prefix: both are callbacks, the API URL stays the configured one', () => {
    const tpl = synthApi('MpoApi', {
      domainPrefix: 'mpo-staff',
      appUrls: ['https://data.mpo.example'],
    }).api;
    tpl.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'mpo-staff' });
    const p = portalClient(tpl);
    const callbacks = (p.CallbackURLs as unknown[]).map(arnText);
    expect(callbacks[0]).toMatch(new RegExp(`^${API}/staff/auth/callback$`));
    expect(callbacks[1]).toBe('https://data.mpo.example/staff/auth/callback');
    expect((p.LogoutURLs as unknown[]).map(arnText)[1]).toBe('https://data.mpo.example/');
    // The configured callback is the fallback for hosts Cognito does not know (the distribution's
    // *.cloudfront.net name); the portal's domain is passed as a public origin (portal-edge.test.ts).
    const env = apiEnv(tpl);
    expect(arnText(env.CORRIDOR_COGNITO_REDIRECT_URI)).toMatch(new RegExp(`^${API}/staff/auth/callback$`));
  });
});
