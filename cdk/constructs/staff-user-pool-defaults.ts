// Settings of the staff user pool (staff-user-pool.ts). Staff accounts can upload data and run the
// computations behind federal submissions, so sign-in is hardened beyond Cognito's defaults.
import { Duration } from 'aws-cdk-lib';
import type { PasswordPolicy } from 'aws-cdk-lib/aws-cognito';
import { ROLES } from '../../lib/auth/principal';
import { COGNITO_SESSION_TTL_S, REFRESH_TTL_S } from '../../lib/auth/sessions';

export const staffPoolDefaults = {
  // cdk-nag COG1 asks for length >= 8 with upper case, digits and symbols; 12 follows NIST
  // SP 800-63B's advice to favour length. Invited users must change the temporary one within 3 days.
  passwordPolicy: {
    minLength: 12,
    requireLowercase: true,
    requireUppercase: true,
    requireDigits: true,
    requireSymbols: true,
    tempPasswordValidity: Duration.days(3),
  } satisfies PasswordPolicy,
  // Threat protection's response to a risky sign-in (no e-mail notice: that needs an SES identity).
  takeoverActions: {
    lowAction: { eventAction: 'NO_ACTION', notify: false },
    mediumAction: { eventAction: 'MFA_IF_CONFIGURED', notify: false },
    highAction: { eventAction: 'MFA_REQUIRED', notify: false },
  },
  // Access and ID tokens last as long as the app's Cognito session (15 min, lib/auth/sessions.ts),
  // which is renewed with the refresh token when it lapses: a removed group or a disabled user
  // bites within that time, and a Bearer token leaked from an API client is good as briefly.
  // Refresh tokens last a working day (8 h); the app keeps the refresh cookie as long.
  tokenValidity: {
    access: Duration.seconds(COGNITO_SESSION_TTL_S),
    id: Duration.seconds(COGNITO_SESSION_TTL_S),
    refresh: Duration.seconds(REFRESH_TTL_S),
  },
};

/**
 * The scopes the portal client may ask for (lib/auth/cognito-login.ts): sign-in asks for the
 * first three; the TOTP set-up's sign-in adds the last, which lets that access token call
 * Cognito's user API for its own user (lib/auth/cognito-mfa.ts).
 */
export const staffOAuthScopes = ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'] as const;

/** Where Cognito may send the browser back to, for each address the app is served at. */
export const staffAppPaths = { callback: '/staff/auth/callback', signedOut: '/' };

/** A Cognito domain prefix (lower-case letters, digits, hyphens) made from the stack prefix. */
export function defaultDomainPrefix(stackPrefix: string, account: string) {
  const base =
    stackPrefix
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'corridor';
  return `${base}-staff-${account}`;
}

/**
 * The Cognito groups are the app's roles, by the same names (lib/auth/principal.ts); the API takes
 * the highest one in `cognito:groups`. Precedence only orders Cognito's own preferred-role claim:
 * lower wins, so admin first.
 */
export const staffGroups = [...ROLES].reverse().map((role, i) => ({ role, precedence: i }));
