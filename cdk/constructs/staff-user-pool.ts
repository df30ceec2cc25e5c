// Staff sign-in on AWS: a Cognito user pool (invited accounts only, optional TOTP MFA, Plus tier
// threat protection), one group per staff role, and the portal's app client. The API function
// verifies the pool's JWTs itself (lib/auth/jwt-auth.ts) from the settings `apiEnvironment` gives.
import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolRiskConfigurationAttachment,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { staffGroups, staffPoolDefaults } from './staff-user-pool-defaults';

export class StaffUserPool extends Construct {
  readonly pool: UserPool;
  readonly portalClient: UserPoolClient;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.pool = new UserPool(this, 'Pool', {
      // An administrator invites staff; nobody signs themselves up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      passwordPolicy: staffPoolDefaults.passwordPolicy,
      mfa: Mfa.OPTIONAL,
      // TOTP apps only: SMS codes can be intercepted (SIM swap) and need an SNS role and spend limit.
      mfaSecondFactor: { otp: true, sms: false },
      // Plus tier (cdk-nag COG8): threat protection blocks compromised credentials and, with
      // adaptive authentication, asks risky sign-ins for the second factor.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      // The accounts are stateful: never dropped with the stack.
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.pool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional so an MPO can enrol staff gradually; enforced threat protection asks medium-risk sign-ins for TOTP and blocks high-risk ones without it (Risk attachment); set Mfa.REQUIRED here to require it always.',
    });
    // Adaptive authentication: what threat protection does by risk level, for every app client.
    // MFA_REQUIRED blocks a high-risk sign-in of a user without TOTP; leaked passwords are blocked.
    new CfnUserPoolRiskConfigurationAttachment(this, 'Risk', {
      userPoolId: this.pool.userPoolId,
      clientId: 'ALL',
      accountTakeoverRiskConfiguration: { actions: staffPoolDefaults.takeoverActions },
      compromisedCredentialsRiskConfiguration: { actions: { eventAction: 'BLOCK' } },
    });
    for (const g of staffGroups) {
      this.pool.addGroup(`Group-${g.role}`, {
        groupName: g.role,
        precedence: g.precedence,
        description: `Corridor ${g.role} (lib/auth/principal.ts)`,
      });
    }
    const { tokenValidity } = staffPoolDefaults;
    this.portalClient = this.pool.addClient('Portal', {
      // A browser client: a secret could not be kept in it. SRP keeps the password off the wire.
      generateSecret: false,
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: tokenValidity.access,
      idTokenValidity: tokenValidity.id,
      refreshTokenValidity: tokenValidity.refresh,
    });
  }

  /** What the API function needs to verify the pool's tokens (lib/config.ts reads these). */
  apiEnvironment(): Record<string, string> {
    // The `iss` claim Cognito signs. (The pool's ProviderURL attribute is the same without the scheme.)
    const { region, urlSuffix } = Stack.of(this);
    const issuer = `https://cognito-idp.${region}.${urlSuffix}/${this.pool.userPoolId}`;
    return {
      CORRIDOR_COGNITO_ISSUER: issuer,
      CORRIDOR_COGNITO_CLIENT_ID: this.portalClient.userPoolClientId,
      CORRIDOR_COGNITO_JWKS_URL: `${issuer}/.well-known/jwks.json`,
    };
  }
}
