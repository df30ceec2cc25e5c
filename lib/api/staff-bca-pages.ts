// Staff BCA pages: the scenario builder (/staff/bca), the runs list, one run with its publish
// button, and two runs compared. Plain forms: every button posts and the server answers with the
// next page, so nothing here needs script (the builder's one small script only moves the focus).
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { hasRole } from '../auth/principal';
import { csvRecords } from '../bca/csv';
import { DATA_DIR, loadParameters } from '../bca/params';
import { parseScenarioText, type Scenario } from '../bca/scenario';
import type { Ctx } from '../context';
import { IssueCollector } from '../ingest/issues';
import type { BcaSummary } from '../portal/bca-summary';
import { BUILDER_JS, builderPage } from '../portal/staff-bca-builder-page';
import { draftFromScenario } from '../portal/staff-bca-copy';
import { applyAction, type Draft, draftFromForm, emptyDraft } from '../portal/staff-bca-form';
import { type CompareSide, comparePage, runPage, runsPage } from '../portal/staff-bca-runs-page';
import { scenarioYaml, validateDraft } from '../portal/staff-bca-scenario';
import { type Env, requireRole, safeFileName } from './security';
import { inScratch, publishAudited, runStaffFile } from './staff-bca-run';
import { fileKey, getRun, listRuns, publishedRun, publishedRuns } from './staff-bca-store';
import { queueRequest } from './staff-requests';
import { NotFound } from './table-data';

let demoScenarios: Promise<Scenario[]> | undefined;

/** The demo region's scenarios (lib/demo/bca.ts writes the same files every time). */
function demos(ctx: Ctx): Promise<Scenario[]> {
  demoScenarios ??= inScratch(ctx, async (dir) => {
    // Loaded on first use: the demo module pulls in the whole analysis (reports, solver).
    const { generateBcaDemo } = await import('../demo/bca');
    const { scenarios } = await generateBcaDemo(dir);
    const out: Scenario[] = [];
    for (const f of scenarios) {
      const { scenario } = parseScenarioText(await readFile(f, 'utf8'), f);
      if (scenario) out.push(scenario);
    }
    return out;
  }).catch((e) => {
    demoScenarios = undefined;
    throw e;
  });
  return demoScenarios;
}

function strategies() {
  const seen = new Map<string, string>();
  // Read each time: the file is small and may change with the parameter tables.
  for (const { values } of csvRecords(readFileSync(join(DATA_DIR, 'operations_strategies.csv'), 'utf8')))
    if (values.strategy_id && !seen.has(values.strategy_id)) seen.set(values.strategy_id, values.title ?? '');
  return [...seen].map(([id, title]) => ({ id, title }));
}

const text = (form: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(form).filter((e): e is [string, string] => typeof e[1] === 'string'));

export function staffBcaPages(app: OpenAPIHono<Env>, ctx: Ctx) {
  const copies = async () => [
    { value: '', label: 'Choose a scenario' },
    ...(await demos(ctx).catch(() => [])).map((s) => ({
      value: `demo:${s.id}`,
      label: `Demo: ${s.title ?? s.id}`,
    })),
    ...(await listRuns(ctx))
      .filter((r) => /^scenario\.(ya?ml|json|xlsx)$/.test(r.input_file))
      .slice(0, 50)
      .map((r) => ({
        value: `run:${r.run_id}`,
        label: `Run: ${r.title} (${r.created_at.slice(0, 16).replace('T', ' ')}, ${r.user})`,
      })),
  ];
  const render = async (
    c: Context<Env>,
    draft: Draft,
    extra: Partial<Parameters<typeof builderPage>[0]> = {},
    status: 200 | 422 = 200,
  ) =>
    c.html(
      builderPage({
        who: c.get('principal')!,
        draft,
        editions: loadParameters().editions,
        strategies: strategies(),
        copies: await copies(),
        ...extra,
      }),
      status,
    );

  /** A scenario to start from: a demo one or the input of an earlier staff run. */
  const copyOf = async (from: string): Promise<Scenario | null> => {
    if (from.startsWith('demo:')) return (await demos(ctx)).find((s) => `demo:${s.id}` === from) ?? null;
    const rec = from.startsWith('run:') ? await getRun(ctx, from.slice(4)) : null;
    if (!rec) return null;
    return inScratch(ctx, async (dir) => {
      const obj = await ctx.storage.get(fileKey(rec.run_id, rec.input_file));
      if (!obj) return null;
      const path = join(dir, rec.input_file);
      await writeFile(path, new Uint8Array(obj.body));
      const { loadScenario } = await import('../bca/run');
      return loadScenario(path, new IssueCollector('bca'));
    });
  };

  app.get('/assets/staff-bca.js', (c) =>
    c.body(BUILDER_JS, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=300',
    }),
  );

  app.get('/staff/bca', requireRole('analyst'), async (c) => {
    const from = c.req.query('from');
    if (from) {
      const sc = await copyOf(from);
      if (!sc) throw new NotFound(`no scenario ${from} to copy`);
      const draft = draftFromScenario(sc);
      draft.id = `${sc.id}-copy`.slice(0, 80);
      return render(c, draft, {
        notice: `Copied “${sc.title ?? sc.id}”. Change what you need, then check or run it.`,
      });
    }
    return render(c, emptyDraft(ctx.clock().getUTCFullYear()));
  });

  app.post(
    '/staff/bca',
    requireRole('analyst'),
    bodyLimit({
      maxSize: 4 * 1024 * 1024,
      onError: (c) => c.json({ error: 'too_large', message: 'the form is larger than 4 MB' }, 413),
    }),
    async (c) => {
      const form = text(await c.req.parseBody());
      const action = form.action ?? 'check';
      const draft = draftFromForm(form);
      if (/^(add|add-effect|remove):/.test(action)) {
        const focus = applyAction(draft, action);
        return render(c, draft, { focus });
      }
      const { scenario, errors } = validateDraft(draft);
      if (!scenario) return render(c, draft, { errors }, 422);
      if (action === 'yaml')
        return c.body(scenarioYaml(scenario), 200, {
          'content-type': 'application/yaml; charset=utf-8',
          'content-disposition': `attachment; filename="${scenario.id}.yaml"`,
        });
      if (action !== 'run')
        return render(c, draft, {
          notice: 'The scenario is complete: no problems found. Run it when ready.',
        });
      const file = { name: `${scenario.id}.yaml`, bytes: scenarioYaml(scenario), source: 'builder' };
      if (ctx.config.onLambda) {
        // Longer than API Gateway's 29 s: the compute function runs it; the status page says
        // "running…" and, when done, sends the browser to the run (staff-requests-pages.ts).
        const q = await queueRequest(ctx, c.get('principal')!, 'bca-run', {
          file_name: file.name,
          source: file.source,
          content_base64: Buffer.from(file.bytes).toString('base64'),
          edition: null,
          discount_rate: null,
        });
        return c.redirect(q.page_url, 303);
      }
      const r = await runStaffFile(ctx, c.get('principal')!, file);
      if (r.status === 'failed')
        return render(
          c,
          draft,
          { runIssues: [{ code: 'bca.failed', severity: 'error', message: r.message }] },
          422,
        );
      if (r.status === 'refused' || !r.record) return render(c, draft, { runIssues: r.issues }, 422);
      return c.redirect(`/staff/bca/runs/${r.record.run_id}`, 303);
    },
  );

  // A scenario file (the CLI's format or the Excel template) into the form.
  app.post(
    '/staff/bca/load',
    requireRole('analyst'),
    bodyLimit({
      maxSize: 16 * 1024 * 1024,
      onError: (c) => c.json({ error: 'too_large', message: 'scenario files are limited to 16 MB' }, 413),
    }),
    async (c) => {
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const file = form.file;
      const name = file instanceof File ? safeFileName(file.name) : null;
      const empty = emptyDraft(ctx.clock().getUTCFullYear());
      if (!(file instanceof File) || !name || !/\.(ya?ml|json|xlsx)$/i.test(name))
        return render(
          c,
          empty,
          {
            runIssues: [
              {
                code: 'bca.load',
                severity: 'error',
                message: 'choose a scenario file (.yaml, .yml, .json or .xlsx)',
              },
            ],
          },
          422,
        );
      const issues = new IssueCollector('bca');
      const sc = await inScratch(ctx, async (dir) => {
        const path = join(dir, name);
        await writeFile(path, new Uint8Array(await file.arrayBuffer()));
        const { loadScenario } = await import('../bca/run');
        return loadScenario(path, issues);
      });
      if (!sc) return render(c, empty, { runIssues: issues.issues }, 422);
      return render(c, draftFromScenario(sc), {
        notice: `Loaded ${name}. Change what you need, then check or run it.`,
      });
    },
  );

  app.get('/staff/bca/runs', requireRole('viewer'), async (c) => {
    const runs = await listRuns(ctx);
    const mine = new Set(runs.map((r) => r.run_id));
    const others = (await publishedRuns(ctx)).filter((r) => !mine.has(r.run_id));
    return c.html(runsPage(c.get('principal')!, runs, others, hasRole(c.get('principal'), 'analyst')));
  });

  app.get('/staff/bca/runs/:run', requireRole('viewer'), async (c) => {
    const r = await getRun(ctx, c.req.param('run'));
    if (!r) throw new NotFound(`no scenario run ${c.req.param('run')}`);
    const notice = c.req.query('published') ? 'Published: the report is now on the public site.' : undefined;
    return c.html(runPage(c.get('principal')!, r, hasRole(c.get('principal'), 'analyst'), notice));
  });

  app.post('/staff/bca/runs/:run/publish', requireRole('analyst'), async (c) => {
    if (ctx.config.onLambda) {
      // The API function may not write results/: the compute function publishes.
      const run = await getRun(ctx, c.req.param('run'));
      if (!run) throw new NotFound(`no scenario run ${c.req.param('run')}`);
      const q = await queueRequest(ctx, c.get('principal')!, 'bca-publish', { run_id: run.run_id });
      return c.redirect(q.page_url, 303);
    }
    const r = await publishAudited(ctx, c.req.param('run'), c.get('principal')!);
    if (!r) throw new NotFound(`no scenario run ${c.req.param('run')}`);
    return c.redirect(`/staff/bca/runs/${r.run_id}?published=1`, 303);
  });

  app.get('/staff/bca/compare', requireRole('viewer'), async (c) => {
    const side = async (id: string | undefined): Promise<CompareSide> => {
      if (id?.startsWith('published:')) {
        const p = await publishedRun(ctx, id.slice('published:'.length));
        if (p)
          return {
            run_id: p.run_id,
            title: String(p.summary.title ?? p.key),
            created_at: p.created_at,
            summary: p.summary as BcaSummary,
          };
      }
      const r = id ? await getRun(ctx, id) : null;
      if (!r) throw new NotFound(`no scenario run ${id ?? ''}`);
      return { run_id: r.run_id, title: r.title, created_at: r.created_at, summary: r.summary as BcaSummary };
    };
    return c.html(
      comparePage(c.get('principal')!, await side(c.req.query('a')), await side(c.req.query('b'))),
    );
  });
}
