// The staff compliance area: the federal measure table, the targets form and API, and the
// compliance package downloads (CSV, Excel, the PDF report, the HPMS PM3 file), each audit-logged
// with the dataset versions behind it.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { audit } from '../audit/audit-log';
import { FEDERAL_MEASURES } from '../compliance/federal-measures';
import { hpmsFile, pm3Years } from '../compliance/hpms-export';
import { measureTable, measureTableCsv } from '../compliance/measure-table';
import { measureWorkbook } from '../compliance/measure-workbook';
import { performanceReportPdf } from '../compliance/performance-report';
import { getTargets, putTargets, Target } from '../compliance/targets';
import type { Ctx } from '../context';
import { compliancePage } from '../portal/staff-pages';
import { codeVersion } from '../version';
import { type Env, requireRole } from './security';

export function staffComplianceRoutes(app: OpenAPIHono<Env>, ctx: Ctx, o: { region: string }) {
  app.get('/staff/compliance', requireRole('analyst'), async (c) => {
    const { rows } = await measureTable(ctx);
    return c.html(
      compliancePage(c.get('principal')!, {
        rows,
        hpmsYears: await pm3Years(ctx),
        saved: c.req.query('saved') === '1',
      }),
    );
  });
  // The form on the compliance page (no script needed): <measure>.period, .baseline_year, .target_2yr, .target_4yr.
  app.post(
    '/staff/compliance/targets',
    requireRole('analyst'),
    bodyLimit({ maxSize: 64 * 1024 }),
    async (c) => {
      const p = c.get('principal')!;
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const field = (id: string, f: string) =>
        typeof form[`${id}.${f}`] === 'string' ? (form[`${id}.${f}`] as string).trim() : '';
      const num = (v: string) => (v === '' ? null : Number(v));
      const targets = [];
      for (const m of FEDERAL_MEASURES) {
        const period = field(m.id, 'period');
        if (!period) continue;
        targets.push({
          measure_id: m.id,
          performance_period: period,
          baseline_year: num(field(m.id, 'baseline_year')),
          target_2yr: num(field(m.id, 'target_2yr')),
          target_4yr: num(field(m.id, 'target_4yr')),
        });
      }
      const parsed = z.array(Target).safeParse(targets);
      if (!parsed.success)
        return c.json(
          {
            error: 'bad_request',
            message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
          },
          400,
        );
      await saveTargets(ctx, p, parsed.data);
      return c.redirect('/staff/compliance?saved=1', 303);
    },
  );
  app.get('/api/v1/staff/compliance/targets', requireRole('viewer'), async (c) =>
    c.json(await getTargets(ctx.storage)),
  );
  app.put(
    '/api/v1/staff/compliance/targets',
    requireRole('analyst'),
    bodyLimit({ maxSize: 256 * 1024 }),
    async (c) => {
      const p = c.get('principal')!;
      const parsed = z
        .object({ targets: z.array(Target).max(200) })
        .safeParse(await c.req.json().catch(() => null));
      if (!parsed.success)
        return c.json(
          {
            error: 'bad_request',
            message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
          },
          400,
        );
      const doc = await saveTargets(ctx, p, parsed.data.targets);
      return c.json(doc);
    },
  );
  app.get('/api/v1/staff/compliance/:file', requireRole('analyst'), async (c) => {
    const p = c.get('principal')!;
    const file = c.req.param('file');
    const now = ctx.clock().toISOString();
    const { rows, lineages } = await measureTable(ctx);
    const versions = [
      ...new Set(lineages.flatMap((l) => l.inputs.map((i) => `${i.dataset_id}@${i.version}`))),
    ];
    const logged = () =>
      audit(ctx.storage, {
        user: p.user,
        role: p.role,
        action: 'export',
        target: file,
        outcome: 'ok',
        versions,
      });
    const attach = (type: string) => ({
      'content-type': type,
      'content-disposition': `attachment; filename="${file}"`,
      'cache-control': 'no-store',
    });
    if (file === 'measures.csv') {
      await logged();
      return c.body(measureTableCsv(rows), 200, attach('text/csv; charset=utf-8'));
    }
    if (file === 'measures.xlsx') {
      await logged();
      const buf = await measureWorkbook(rows, lineages, { region: o.region, generatedAt: now });
      return c.body(
        new Uint8Array(buf),
        200,
        attach('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
      );
    }
    if (file === 'system-performance-report.pdf') {
      await logged();
      const buf = await performanceReportPdf(rows, lineages, {
        region: o.region,
        generatedAt: now,
        codeVersion: codeVersion(),
      });
      return c.body(new Uint8Array(buf), 200, attach('application/pdf'));
    }
    if (file === 'hpms-pm3.txt') {
      const years = await pm3Years(ctx);
      const year = Number(c.req.query('year') ?? years[0]);
      const stateCode = Number(c.req.query('state_code'));
      if (!Number.isInteger(year) || !years.includes(year))
        return c.json(
          {
            error: 'not_found',
            message: `no PM3 results for year ${c.req.query('year') ?? '(none computed)'}: run the pm3 computation first`,
          },
          404,
        );
      if (!Number.isInteger(stateCode) || stateCode < 1 || stateCode > 99)
        return c.json({ error: 'bad_request', message: 'give state_code, the state FIPS code (1-99)' }, 400);
      try {
        const got = await hpmsFile(ctx, {
          year,
          stateCode,
          fillMissing: c.req.query('fill_missing') === 'true',
        });
        await audit(ctx.storage, {
          user: p.user,
          role: p.role,
          action: 'export',
          target: file,
          outcome: 'ok',
          versions,
          detail: { year, state_code: stateCode, pm3_run: got.runId, rows: got.rows },
        });
        return c.body(new Uint8Array(got.body), 200, {
          ...attach('text/plain; charset=utf-8'),
          'content-disposition': `attachment; filename="hpms-pm3-${year}.txt"`,
        });
      } catch (e) {
        const message = e instanceof Error ? e.message.split('\n')[0]!.slice(0, 300) : 'export failed';
        await audit(ctx.storage, {
          user: p.user,
          role: p.role,
          action: 'export',
          target: file,
          outcome: 'failed',
          detail: { year, error: message },
        });
        return c.json({ error: 'export_failed', message }, 422);
      }
    }
    return c.json({ error: 'not_found', message: `no compliance file ${file}` }, 404);
  });
}

/** Store the targets and audit who set them (the staff form and the JSON route share this). */
async function saveTargets(
  ctx: Ctx,
  p: { user: string; role: string },
  targets: Parameters<typeof putTargets>[1],
) {
  const doc = await putTargets(ctx.storage, targets, p.user);
  await audit(ctx.storage, {
    user: p.user,
    role: p.role,
    action: 'set_targets',
    target: 'compliance/targets.json',
    outcome: 'ok',
    detail: { count: doc.targets.length },
  });
  return doc;
}
