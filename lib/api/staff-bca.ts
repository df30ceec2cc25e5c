// Staff: run a benefit-cost analysis scenario (lib/bca) from an uploaded scenario file (YAML,
// JSON or XLSX) or ledger CSV, publish it as a `bca` result with its lineage, and link the
// reports it wrote. Same protections as data uploads: size limit, plain file names, audit log.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { audit } from '../audit/audit-log';
import { getResultIndex } from '../catalog/results';
import type { Ctx } from '../context';
import { type Env, requireRole, safeFileName } from './security';

const SCENARIO = /\.(ya?ml|json|xlsx)$/i;

export function staffBcaRoutes(app: OpenAPIHono<Env>, ctx: Ctx, o: { uploadBytes: number }) {
  app.post(
    '/api/v1/staff/bca',
    requireRole('analyst'),
    bodyLimit({
      maxSize: o.uploadBytes,
      onError: (c) =>
        c.json({ error: 'too_large', message: `uploads are limited to ${o.uploadBytes} bytes` }, 413),
    }),
    async (c) => {
      const p = c.get('principal')!;
      if (!(c.req.header('content-type') ?? '').startsWith('multipart/form-data'))
        return c.json({ error: 'upload_refused', message: 'send the scenario as multipart/form-data' }, 415);
      let form: Record<string, unknown>;
      try {
        form = await c.req.parseBody();
      } catch {
        return c.json({ error: 'upload_refused', message: 'the multipart body could not be read' }, 400);
      }
      const file = form.file;
      const name = file instanceof File ? safeFileName(file.name) : null;
      if (!(file instanceof File) || !name || !(SCENARIO.test(name) || /\.csv$/i.test(name)))
        return c.json(
          {
            error: 'upload_refused',
            message:
              'give one scenario file (.yaml, .yml, .json, .xlsx) or ledger (.csv) with a plain name in "file"',
          },
          400,
        );
      const num = (v: unknown, what: string) => {
        if (v === undefined || v === '') return undefined;
        const n = Number(v);
        if (!Number.isFinite(n)) throw new Error(`${what} must be a number`);
        return n;
      };
      let discountRate: number | undefined;
      try {
        discountRate = num(form.discount_rate, 'discount_rate');
      } catch (e) {
        return c.json({ error: 'bad_request', message: (e as Error).message }, 400);
      }
      const edition =
        typeof form.edition === 'string' && /^[a-z0-9_.-]{1,40}$/.test(form.edition)
          ? form.edition
          : undefined;
      await mkdir(ctx.config.scratchDir, { recursive: true });
      const dir = await mkdtemp(join(ctx.config.scratchDir, 'bca-'));
      try {
        const path = join(dir, name);
        await writeFile(path, new Uint8Array(await file.arrayBuffer()));
        const { runBca } = await import('../bca/run');
        const r = await runBca(ctx, path, { out: join(dir, 'out'), edition, discountRate, publish: true });
        const issues = r.issues.issues;
        if (!r.run) {
          await audit(ctx.storage, {
            user: p.user,
            role: p.role,
            action: 'bca_run',
            target: name,
            outcome: 'refused',
            detail: { errors: issues.filter((i) => i.severity === 'error').length },
          });
          return c.json(
            { error: 'scenario_refused', message: 'the scenario has errors; nothing was run', issues },
            422,
          );
        }
        const idx = r.published ? await getResultIndex(ctx.storage, 'bca') : null;
        const runId = idx?.latest[r.run.scenario.id] ?? null;
        const run = idx?.runs.find((x) => x.run_id === runId);
        await audit(ctx.storage, {
          user: p.user,
          role: p.role,
          action: 'bca_run',
          target: r.run.scenario.id,
          outcome: 'ok',
          detail: {
            file: name,
            run_id: runId,
            published: r.published,
            edition: r.run.settings.edition?.id ?? null,
          },
        });
        return c.json(
          {
            scenario_id: r.run.scenario.id,
            title: r.run.scenario.title,
            npv_usd: r.run.total.npv_usd ?? null,
            bcr: r.run.total.bcr ?? null,
            published: r.published,
            run_id: runId,
            files: (run?.files ?? []).map((k) => ({
              name: basename(k),
              url: `/results/bca/${runId}/${basename(k)}`,
            })),
            issues,
          },
          200,
        );
      } catch (e) {
        ctx.log.error(`bca: ${e instanceof Error ? e.stack : String(e)}`);
        const message = e instanceof Error ? e.message.split('\n')[0]!.slice(0, 300) : 'failed';
        await audit(ctx.storage, {
          user: p.user,
          role: p.role,
          action: 'bca_run',
          target: name,
          outcome: 'failed',
          detail: { error: message },
        });
        return c.json({ error: 'bca_failed', message }, 422);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
}
