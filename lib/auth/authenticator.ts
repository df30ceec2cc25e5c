// The seam between the app and identity providers. Locally one configured account signs in with
// a password (session cookie) or a token (Bearer); in AWS a JWT verifier for Cognito implements
// the same interface and the routes do not change.
import type { HostedLogin } from './cognito-login';
import type { Principal } from './principal';

export interface RequestCredentials {
  /** Value of the session cookie, when present. */
  session?: string;
  /** The Bearer token of the Authorization header, when present. */
  bearer?: string;
}

export interface Authenticator {
  /** Who the credentials belong to, or null. Never throws on bad input. */
  authenticate(creds: RequestCredentials): Promise<Principal | null>;
  /** Password sign-in; null when the provider has none (Cognito signs in on its hosted UI). */
  signIn?(user: string, password: string): Promise<Principal | null>;
  /** A session value to set as the cookie after signIn. */
  issueSession?(p: Principal): string;
  /** What the sign-in page should say (e.g. the demo credentials on a loopback demo). */
  readonly notice?: string;
  /** Sign-in on the provider's own pages (Cognito managed login); /staff/login redirects there. */
  readonly hosted?: HostedLogin;
  /** False when no account is configured: the staff area says how to configure one. */
  readonly enabled: boolean;
}
