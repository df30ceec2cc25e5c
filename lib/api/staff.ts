// Staff routes: sign-in and out, uploads (validated ingest with live progress), computations,
// targets, the compliance package and the audit log. Every route checks the role it needs and
// every action is audit-logged with the dataset versions it touched. One file per area; the
// sign-in files go first because they install the role guard the others rely on.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Authenticator } from '../auth/authenticator';
import type { Ctx } from '../context';
import type { Env } from './security';
import { staffAuditRoutes } from './staff-audit';
import { staffCognitoLoginRoutes } from './staff-cognito-login';
import { staffComplianceRoutes } from './staff-compliance';
import { staffComputeRoutes } from './staff-compute';
import { staffMfaSetupRoutes } from './staff-mfa-setup';
import { staffSessionRoutes } from './staff-session';
import { staffUploadRoutes } from './staff-uploads';

export interface StaffOptions {
  auth: Authenticator;
  uploadBytes: number;
  region: string;
}

export function staffRoutes(app: OpenAPIHono<Env>, ctx: Ctx, o: StaffOptions) {
  if (o.auth.hosted) staffCognitoLoginRoutes(app, ctx, { auth: o.auth, hosted: o.auth.hosted });
  staffSessionRoutes(app, ctx, o);
  // After the role guard: these pages are for signed-in staff.
  if (o.auth.hosted?.totp) staffMfaSetupRoutes(app, ctx, { ...o.auth.hosted, totp: o.auth.hosted.totp });
  staffUploadRoutes(app, ctx, o);
  staffComputeRoutes(app, ctx);
  staffComplianceRoutes(app, ctx, o);
  staffAuditRoutes(app, ctx);
}
