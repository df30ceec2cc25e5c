// Staff sign-in on AWS: a Cognito user pool (invited accounts only, optional TOTP MFA, Plus tier
// threat protection), one group per staff role, its managed login on a Cognito domain, and the
// portal's app client (authorization code + PKCE, lib/auth/cognito-login.ts). The API function
// verifies the pool's JWTs itself (lib/auth/jwt-auth.ts) from the settings `apiEnvironment` gives.
import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  CfnUserPoolRiskConfigurationAttachment,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { staffAppPaths, staffGroups, staffOAuthScopes, staffPoolDefaults } from './staff-user-pool-defaults';

export interface StaffUserPoolProps {
  /** Prefix of the managed login's domain, <prefix>.auth.<region>.amazoncognito.com (globally unique). */
  domainPrefix: string;
  /** Base URLs the app is served at (https://host, no path), all registered; the first is the app's
   * configured callback, used from hosts that are not registered (lib/api/staff-cognito-login.ts). */
  appUrls: string[];
}

export class StaffUserPool extends Construct {
  readonly pool: UserPool;
  readonly portalClient: UserPoolClient;
  readonly domain: UserPoolDomain;
  /** Key of the session and refresh cookies every API instance shares (lib/auth/sessions.ts). */
  readonly sessionKey: Secret;
  private readonly appUrls: string[];

  constructor(scope: Construct, id: string, props: StaffUserPoolProps) {
    super(scope, id);
    if (props.appUrls.length === 0) throw new Error('StaffUserPool: give at least one app URL');
    this.appUrls = props.appUrls;
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
      // The browser never holds a secret and the API function keeps none: a public client, whose
      // code exchange is protected by PKCE (the app always sends an S256 challenge).
      generateSecret: false,
      // SRP stays for API clients that sign in without a browser; the password never travels.
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: staffOAuthScopes.map((s) => OAuthScope.custom(s)),
        callbackUrls: this.appUrls.map((u) => `${u}${staffAppPaths.callback}`),
        logoutUrls: this.appUrls.map((u) => `${u}${staffAppPaths.signedOut}`),
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      // Sign-out revokes the app's refresh token at /oauth2/revoke (lib/api/staff-cognito-login.ts).
      enableTokenRevocation: true,
      // Short access/ID tokens and a working day of refresh token; the app renews its 15-minute
      // session with the refresh token, so group changes and disabled users bite within 15 minutes.
      // No refresh-token rotation (refreshTokenRotationGracePeriod unset): the token stays reusable,
      // so parallel requests renewing at once cannot invalidate each other's token, and CDK keeps
      // ALLOW_REFRESH_TOKEN_AUTH in the client's flows.
      accessTokenValidity: tokenValidity.access,
      idTokenValidity: tokenValidity.id,
      refreshTokenValidity: tokenValidity.refresh,
    });
    // Managed login (the newer hosted pages, with TOTP set-up and the MFA prompt built in) needs a
    // branding style per client; Cognito's own look is enough.
    this.domain = this.pool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    new CfnManagedLoginBranding(this, 'Branding', {
      userPoolId: this.pool.userPoolId,
      clientId: this.portalClient.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    this.sessionKey = new Secret(this, 'SessionKey', {
      description: 'Corridor staff session cookie HMAC key (lib/auth/sessions.ts)',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    Validations.of(this.sessionKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The key of the staff session cookies (HMAC) and of the encrypted refresh cookie (a key derived from it), not a credential to a system: rotating it means generating a new value and redeploying the api stack (it is resolved into the function at deploy time), which signs every staff member out once.',
    });
  }

  /** What the API function needs to verify the pool's tokens and run the browser sign-in (lib/config.ts). */
  apiEnvironment(): Record<string, string> {
    // The `iss` claim Cognito signs. (The pool's ProviderURL attribute is the same without the scheme.)
    const { region, urlSuffix } = Stack.of(this);
    const issuer = `https://cognito-idp.${region}.${urlSuffix}/${this.pool.userPoolId}`;
    const primary = this.appUrls[0]!;
    return {
      CORRIDOR_COGNITO_ISSUER: issuer,
      CORRIDOR_COGNITO_CLIENT_ID: this.portalClient.userPoolClientId,
      CORRIDOR_COGNITO_JWKS_URL: `${issuer}/.well-known/jwks.json`,
      CORRIDOR_COGNITO_DOMAIN: this.domain.baseUrl(),
      CORRIDOR_COGNITO_REDIRECT_URI: `${primary}${staffAppPaths.callback}`,
      CORRIDOR_COGNITO_LOGOUT_URI: `${primary}${staffAppPaths.signedOut}`,
      // Resolved by CloudFormation at deploy time: the template holds only a reference. Reading it
      // at run time instead would need the Secrets Manager SDK, which this project does not ship;
      // whoever can read the function's configuration can change its code anyway.
      CORRIDOR_SESSION_SECRET: this.sessionKey.secretValue.unsafeUnwrap(),
    };
  }
}
