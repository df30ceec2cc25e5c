// TOTP set-up for a signed-in staff member through Cognito's user API: AssociateSoftwareToken
// (a new secret for the authenticator app), VerifySoftwareToken (the first code proves the app has
// it) and SetUserMFAPreference (ask for a code at every sign-in from then on). While the pool's MFA
// is optional, managed login does not offer this set-up itself. The calls are authorised by the
// user's own access token (scope aws.cognito.signin.user.admin), not by AWS credentials, so the
// api function needs no IAM permission for them.

export interface TotpSetup {
  /** A new TOTP secret (base32) for the user the token belongs to. */
  associate(accessToken: string): Promise<string>;
  /** True when `code` matches the associated secret; TOTP is then on and preferred. */
  verify(accessToken: string, code: string): Promise<boolean>;
}

export class CognitoApiError extends Error {}

export function cognitoTotp(o: { issuer: string; fetch?: typeof fetch }): TotpSetup {
  const get = o.fetch ?? fetch;
  // The pool's issuer is https://cognito-idp.<region>.amazonaws.com/<pool id>: the API is its origin.
  const endpoint = `${new URL(o.issuer).origin}/`;
  const call = async (target: string, body: Record<string, unknown>) => {
    const res = await get(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityProviderService.${target}`,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    return { ok: res.ok, json, type: String(json.__type ?? '').replace(/^.*#/, '') };
  };
  return {
    async associate(accessToken) {
      const r = await call('AssociateSoftwareToken', { AccessToken: accessToken });
      if (!r.ok || typeof r.json.SecretCode !== 'string')
        throw new CognitoApiError(`Cognito refused the set-up (${r.type || 'no secret'})`);
      return r.json.SecretCode;
    },
    async verify(accessToken, code) {
      const v = await call('VerifySoftwareToken', {
        AccessToken: accessToken,
        UserCode: code,
        FriendlyDeviceName: 'Corridor staff',
      });
      // A wrong code is the user's mistake, not a failure of the service.
      if (!v.ok && /CodeMismatch|EnableSoftwareTokenMFA/.test(v.type)) return false;
      if (!v.ok || v.json.Status !== 'SUCCESS')
        throw new CognitoApiError(`Cognito refused the code (${v.type || String(v.json.Status)})`);
      const p = await call('SetUserMFAPreference', {
        AccessToken: accessToken,
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
      });
      if (!p.ok) throw new CognitoApiError(`Cognito did not turn TOTP on (${p.type})`);
      return true;
    },
  };
}
