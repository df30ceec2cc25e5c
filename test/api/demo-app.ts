// A Corridor app over a temp store loaded with the demo region, for the API, portal and security
// tests. Staff requests use Bearer tokens of three accounts (viewer, analyst, admin) through an
// Authenticator that wraps the real local one — the same seam Cognito plugs into.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../../lib/api/app';
import type { Authenticator } from '../../lib/auth/authenticator';
import { localAuthenticator } from '../../lib/auth/local-auth';
import type { Role } from '../../lib/auth/principal';
import { demoSteps, loadDemo } from '../../lib/demo/load';
import { type TestCtx, tempCtx } from '../helpers';

export const TOKENS: Record<Role, string> = {
  viewer: 'test-viewer-token-0123456789',
  analyst: 'test-analyst-token-0123456789',
  admin: 'test-admin-token-0123456789',
};

export function testAuthenticator(base: Authenticator): Authenticator {
  return {
    ...base,
    enabled: true,
    async authenticate(creds) {
      const role = (Object.keys(TOKENS) as Role[]).find((r) => TOKENS[r] === creds.bearer);
      if (role) return { user: `${role}-user`, role, via: 'token' };
      return base.authenticate(creds);
    },
  };
}

export const bearer = (role: Role) => ({ authorization: `Bearer ${TOKENS[role]}` });

export async function demoApp(opts: { uploadBytes?: number; ratePerMinute?: number } = {}) {
  const ctx: TestCtx = tempCtx();
  mkdirSync(ctx.config.scratchDir, { recursive: true });
  // Only the ACS step of the demo: these tests count datasets and rows, so they must not change
  // when the demo region grows (the e2e test loads the whole demo).
  const acs = demoSteps.find((st) => /ACS/.test(st.name));
  if (acs) {
    const dir = mkdtempSync(join(ctx.root, 'demo-'));
    await acs.run(ctx, dir);
  } else await loadDemo(ctx);
  const auth = testAuthenticator(localAuthenticator({ auth: {}, demoAccount: false }));
  const app = createApp({
    ctx,
    auth,
    limits: { uploadBytes: opts.uploadBytes ?? 1024 * 1024, ratePerMinute: opts.ratePerMinute ?? 0 },
  });
  return { ctx, app };
}
