// What every staff route's documentation shares: the sign-in schemes it accepts, the refusals the
// role guard answers with, and the issue shape ingest and BCA reports use. Its own file so the
// per-area staff-docs-*.ts files can import it without an import cycle through staff-docs.ts.
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { ErrorBody } from './schemas';

export type Registry = OpenAPIHono['openAPIRegistry'];

export const err = (d: string) => ({
  description: d,
  content: { 'application/json': { schema: ErrorBody } },
});

/** What requireRole answers (lib/api/security.ts) before any handler runs. */
export const refusals = {
  401: err('Not signed in'),
  403: err('Signed in without the role this needs, or a cross-site request'),
};

export const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { cookieAuth: [] }];

/** A path parameter with the example the contract test falls back on. */
export const pathParam = (name: string, example: string) =>
  z.string().openapi({ param: { name, in: 'path' }, example });

/** lib/ingest/issues.ts Issue, as ingest reports and BCA runs return it. */
export const Issue = z
  .object({
    code: z.string(),
    severity: z.enum(['error', 'warning', 'info']),
    dataset: z.string().optional(),
    file: z.string().optional(),
    line: z.number().int().optional(),
    column: z.string().optional(),
    message: z.string(),
    fix: z.string().optional(),
    value: z.string().optional(),
    count: z.number().int().optional(),
  })
  .openapi('Issue');
