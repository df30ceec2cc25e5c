// The pool side of the renewable staff session (lib/api/staff-cognito-login.ts): the portal client
// issues short ID/access tokens and a working day of reusable refresh token, may use it, and lets
// sign-out revoke it. The numbers are literal here on purpose: the app's constants feed the CDK,
// so a change there must show up as a failing template test.
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { dataBucketName } from '../../cdk/constructs/data-bucket-name';
import { ApiStack } from '../../cdk/stacks/api-stack';
import { COGNITO_SESSION_TTL_S, REFRESH_TTL_S } from '../../lib/auth/sessions';
import { testApp } from './corridor-app';

function portalClient() {
  const app = testApp();
  const stack = new ApiStack(app, 'TokensApi', { bucketName: dataBucketName('Tokens'), codeVersion: 'abc' });
  const clients = Object.values(Template.fromStack(stack).findResources('AWS::Cognito::UserPoolClient'));
  expect(clients).toHaveLength(1);
  return clients[0]!.Properties as Record<string, unknown>;
}

describe('staff session tokens in the user pool client', () => {
  const p = portalClient();

  it('gives 15-minute ID and access tokens and an 8-hour refresh token, in minutes', () => {
    expect(p).toMatchObject({
      IdTokenValidity: 15,
      AccessTokenValidity: 15,
      RefreshTokenValidity: 480,
      TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'minutes' },
    });
    // The app session never outlives the tokens it came from; the refresh cookie lives as long as the token.
    expect(COGNITO_SESSION_TTL_S).toBe(15 * 60);
    expect(REFRESH_TTL_S).toBe(8 * 3600);
  });

  it('allows refreshing, keeps the refresh token reusable (no rotation) and lets sign-out revoke it', () => {
    expect(p.ExplicitAuthFlows).toEqual(
      expect.arrayContaining(['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH']),
    );
    expect(p.RefreshTokenRotation).toBeUndefined();
    expect(p.EnableTokenRevocation).toBe(true);
  });
});
