// The scenario builder and staff BCA runs through the app: field-level validation messages, rows
// added by buttons, a demo scenario copied into the form and downloaded as the same YAML the CLI
// reads, a two-project run kept staff-only until it is published, comparison, and the JSON API.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../lib/api/app';
import { recentAudit } from '../../lib/audit/audit-log';
import { localAuthenticator } from '../../lib/auth/local-auth';
import { alternativesOf, parseScenarioText } from '../../lib/bca/scenario';
import { generateBcaDemo } from '../../lib/demo/bca';
import { type TestCtx, tempCtx } from '../helpers';
import { bearer, testAuthenticator } from './demo-app';
import { formFields, twoProjects } from './staff-bca-form';

let ctx: TestCtx;
let app: ReturnType<typeof createApp>;
beforeAll(() => {
  ctx = tempCtx();
  mkdirSync(ctx.config.scratchDir, { recursive: true });
  app = createApp({
    ctx,
    auth: testAuthenticator(localAuthenticator({ auth: {}, demoAccount: false })),
    limits: { ratePerMinute: 0 },
  });
});
afterAll(() => ctx.cleanup());

const post = (fields: Record<string, string>, action: string, role: 'analyst' | 'viewer' = 'analyst') =>
  app.request('/staff/bca', {
    method: 'POST',
    body: new URLSearchParams({ ...fields, action }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...bearer(role) },
  });

describe('scenario builder form', () => {
  it('reports every problem at its field, with a summary linking to it', async () => {
    const fields = twoProjects();
    delete fields.base_year;
    fields['projects.0.alternatives.0.costs.0.amount_usd'] = 'lots';
    fields['projects.1.alternatives.0.effects.0.cmf'] = '-1';
    fields.id = 'has spaces';
    fields['projects.0.alternatives.0.costs.1.from'] = '';
    const res = await post(fields, 'check');
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/<div class="error-summary" role="alert"[^>]*autofocus>/);
    expect(html).toContain('5 problems to fix');
    const link = (id: string) => new RegExp(`<li><a href="#${id}">([^<]*)</a></li>`).exec(html)?.[1];
    expect(link('f-base-year')).toBe('Discount year (base year) is required');
    expect(link('f-projects-0-alternatives-0-costs-0-amount-usd')).toBe(
      'Project P-1 › alternative build › cost 1: Amount (USD, each year) must be a number',
    );
    expect(link('f-projects-1-alternatives-0-effects-0-cmf')).toMatch(
      /^Project P-2 › alternative build › benefit 1: Crash modification factor \(0.8 = 20% fewer\): Too small: expected number to be &gt;=0$/,
    );
    expect(link('f-id')).toBe('Scenario id: letters, digits, _ . - only');
    // A recurring cost without its first year: the schema's years[0], the form's "from" field.
    expect(link('f-projects-0-alternatives-0-costs-1-from')).toBe(
      'Project P-1 › alternative build › cost 2: Year (or first year) is required',
    );
    // The field itself says so too, and is marked invalid.
    expect(html).toMatch(
      /<span id="f-projects-0-alternatives-0-costs-0-amount-usd-err" class="issue-error field-error"><span class="sr-only">Error: <\/span>must be a number<\/span>/,
    );
    expect(html).toMatch(
      /id="f-projects-0-alternatives-0-costs-0-amount-usd" name="[^"]+" value="lots" inputmode="decimal"\s+aria-invalid="true" aria-describedby="f-projects-0-alternatives-0-costs-0-amount-usd-err"/,
    );
    // Every field has a label.
    for (const m of html.matchAll(/<(?:input|select|textarea) id="([^"]+)"/g))
      expect(html, m[1]).toContain(`<label for="${m[1]}"`);
  });

  it('adds and removes rows with buttons, focusing the new row', async () => {
    const added = await (await post(twoProjects(), 'add:budgets')).text();
    expect(added).toMatch(
      /id="f-budgets-1-year" name="budgets.1.year" value="" inputmode="numeric"\s+autofocus>/,
    );
    const effect = await (
      await post(twoProjects(), 'add-effect:voc:projects.0.alternatives.0.effects')
    ).text();
    expect(effect).toContain('<legend>Benefit 2: Vehicle operating costs (VMT change)</legend>');
    expect(effect).toMatch(/name="projects.0.alternatives.0.effects.1.vmt_nb"/);
    const removed = await (await post(twoProjects(), 'remove:projects.0')).text();
    expect(formFields(removed)['projects.0.id']).toBe('P-2');
    expect(formFields(removed)['projects.1.id']).toBeUndefined();
  });

  it('copies a demo scenario into the form and downloads the same scenario as YAML', async () => {
    const page = await app.request('/staff/bca?from=demo:tip-2027-2030-constrained', {
      headers: { ...bearer('analyst'), accept: 'text/html' },
    });
    expect(page.status).toBe(200);
    const fields = formFields(await page.text());
    expect(fields.id).toBe('tip-2027-2030-constrained-copy');
    const yaml = await post(fields, 'yaml');
    expect(yaml.status).toBe(200);
    expect(yaml.headers.get('content-disposition')).toContain('tip-2027-2030-constrained-copy.yaml');
    const text = await yaml.text();
    const back = parseScenarioText(text, 'x.yaml');
    expect(back.errors).toEqual([]);
    const demoDir = join(ctx.root, 'demo-bca');
    const [file] = (await generateBcaDemo(demoDir)).scenarios;
    const { readFileSync } = await import('node:fs');
    const original = parseScenarioText(readFileSync(file!, 'utf8'), file!).scenario!;
    expect({ ...back.scenario, id: original.id }).toEqual(original);
  });

  it('an operations benefit keeps its duration cut and the source of its reductions in the YAML', async () => {
    const A = 'projects.0.alternatives.0';
    const fields = {
      ...twoProjects('ops'),
      [`${A}.effects.1.kind`]: 'operations',
      [`${A}.effects.1.years.0`]: '2028',
      [`${A}.effects.1.years.1`]: '2047',
      [`${A}.effects.1.strategy`]: 'incident_management',
      [`${A}.effects.1.affected_hours_nb`]: '75000',
      [`${A}.effects.1.impact_incident_duration`]: '0.4',
      [`${A}.effects.1.impact_source`]: 'TIM-BC run, March 2026',
    };
    const page = await (await post(fields, 'check')).text();
    expect(page).toContain('<a href="/bca/parameters#operations">operations strategies</a>');
    const back = parseScenarioText(await (await post(fields, 'yaml')).text(), 'x.yaml');
    expect(back.errors).toEqual([]);
    expect(alternativesOf(back.scenario!.projects[0]!)[0]!.effects[1]).toMatchObject({
      kind: 'operations',
      strategy: 'incident_management',
      affected_hours_nb: 75000,
      impact_incident_duration: 0.4,
      impact_source: 'TIM-BC run, March 2026',
    });
  });

  it('loads a scenario file into the form, and says why it cannot', async () => {
    const [file] = (await generateBcaDemo(join(ctx.root, 'demo-load'))).scenarios;
    const { readFileSync } = await import('node:fs');
    const load = (name: string, body: string | Buffer) => {
      const fd = new FormData();
      fd.set('file', new File([new Uint8Array(Buffer.from(body))], name));
      return app.request('/staff/bca/load', { method: 'POST', body: fd, headers: bearer('analyst') });
    };
    const ok = await load('tip.yaml', readFileSync(file!));
    expect(ok.status).toBe(200);
    const fields = formFields(await ok.text());
    expect(fields.id).toBe('tip-2027-2030-constrained');
    expect(fields['projects.2.alternatives.1.id']).toBe('access');
    const bad = await load('bad.yaml', 'id: x\nbase_year: soon\n');
    expect(bad.status).toBe(422);
    expect(await bad.text()).toMatch(/<li>[^<]*base_year[^<]*<\/li>|expected number/);
  });
});

describe('runs', () => {
  let runId: string;

  it('runs a two-project scenario from the form, kept staff-only', async () => {
    const res = await post(twoProjects(), 'run');
    expect(res.status, await res.clone().text()).toBe(303);
    const loc = res.headers.get('location')!;
    expect(loc).toMatch(/^\/staff\/bca\/runs\/two-projects-/);
    runId = loc.split('/').at(-1)!;
    const page = await (await app.request(loc, { headers: bearer('viewer') })).text();
    expect(page).toMatch(/<div class="big" id="npv">-?\$[\d,]+<\/div>/);
    expect(page).toMatch(/<div class="big" id="bcr">[\d.]+<\/div>/);
    expect(page).toContain('Not public');
    const report = await app.request(`/api/v1/staff/bca/runs/${runId}/files/report.html`, {
      headers: bearer('viewer'),
    });
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toContain('text/html');
    expect(await report.text()).toContain('Two projects');
    // Not public: every public route answers 404, and the staff files need a sign-in.
    for (const path of [`/bca/${runId}`, `/bca/${runId}/report.html`, `/results/bca/${runId}/report.html`])
      expect((await app.request(path)).status, path).toBe(404);
    expect((await app.request(`/api/v1/staff/bca/runs/${runId}/files/report.html`)).status).toBe(401);
    const list = (await (await app.request('/api/v1/bca/reports')).json()) as { reports: unknown[] };
    expect(list.reports).toEqual([]);
    const events = await recentAudit(ctx.storage, 50);
    expect(events.find((e) => e.action === 'bca_run' && e.target === 'two-projects')).toMatchObject({
      user: 'analyst-user',
      outcome: 'ok',
      detail: { run_id: runId, file: 'builder' },
    });
  });

  it('shows what the analysis could not value, at the project, and keeps nothing', async () => {
    // usdot-2025's unit values are not transcribed (data/bca/editions.csv), so benefits stay unvalued.
    const res = await post({ ...twoProjects('unvalued'), edition: 'usdot-2025' }, 'run');
    expect(res.status).toBe(422);
    const html = await res.text();
    const items = [
      ...html.matchAll(
        /<li><a href="#f-projects-(\d)">Project (P-\d)<\/a>: project \2: usdot-2025 lists no/g,
      ),
    ];
    expect(items.map((m) => m[1])).toContain('0');
    expect(items.map((m) => m[1])).toContain('1');
    const lines = [...html.matchAll(/<li>[^\n]*?bca\.value\.missing<\/code><\/li>/g)].map((m) => m[0]);
    expect(new Set(lines).size).toBe(lines.length);
    const runs = (await (
      await app.request('/api/v1/staff/bca/runs', { headers: bearer('viewer') })
    ).json()) as {
      runs: { scenario_id: string }[];
    };
    expect(runs.runs.some((r) => r.scenario_id === 'unvalued')).toBe(false);
    const events = await recentAudit(ctx.storage, 50);
    expect(events.find((e) => e.action === 'bca_run' && e.target === 'unvalued')?.outcome).toBe('refused');
  });

  it('refuse viewers and anonymous callers', async () => {
    expect((await post(twoProjects(), 'run', 'viewer')).status).toBe(403);
    const anon = await app.request('/staff/bca', {
      method: 'POST',
      body: new URLSearchParams({ ...twoProjects(), action: 'run' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(anon.status).toBe(401);
    const page = await app.request('/staff/bca', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/staff/login?next=%2Fstaff%2Fbca');
    expect(
      (
        await app.request(`/api/v1/staff/bca/runs/${runId}/publish`, {
          method: 'POST',
          headers: bearer('viewer'),
        })
      ).status,
    ).toBe(403);
    expect((await app.request('/api/v1/staff/bca/runs')).status).toBe(401);
  });

  it('publishes a run (audit-logged); then the public sees it', async () => {
    const res = await app.request(`/api/v1/staff/bca/runs/${runId}/publish`, {
      method: 'POST',
      headers: bearer('analyst'),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ run_id: runId, page: `/bca/${runId}` });
    const list = (await (await app.request('/api/v1/bca/reports')).json()) as {
      reports: { run_id: string; bcr: number; links: { files: { name: string; url: string }[] } }[];
    };
    expect(list.reports.map((r) => r.run_id)).toEqual([runId]);
    const pdf = list.reports[0]!.links.files.find((f) => f.name === 'report.pdf')!;
    const got = await app.request(pdf.url);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await got.arrayBuffer())
        .subarray(0, 4)
        .toString(),
    ).toBe('%PDF');
    const page = await app.request(`/bca/${runId}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Two projects');
    expect((await app.request(`/bca/${runId}/report.html`)).headers.get('content-type')).toContain(
      'text/html',
    );
    expect(await (await app.request('/bca')).text()).toContain(`href="/bca/${runId}"`);
    const events = await recentAudit(ctx.storage, 50);
    expect(events.some((e) => e.action === 'bca_publish' && e.target === runId && e.outcome === 'ok')).toBe(
      true,
    );
  });

  it('compares two runs side by side', async () => {
    const other = twoProjects('more-budget');
    other['budgets.0.amount_usd'] = '1200000';
    const res = await post(other, 'run');
    expect(res.status).toBe(303);
    const b = res.headers.get('location')!.split('/').at(-1)!;
    const runs = (await (
      await app.request('/api/v1/staff/bca/runs', { headers: bearer('viewer') })
    ).json()) as {
      runs: { run_id: string; user: string; edition: string; published: unknown }[];
    };
    expect(runs.runs.map((r) => r.run_id)).toEqual(expect.arrayContaining([runId, b]));
    expect(runs.runs.find((r) => r.run_id === runId)).toMatchObject({
      user: 'analyst-user',
      edition: 'usdot-2026',
    });
    const cmp = await app.request(`/staff/bca/compare?a=${runId}&b=${b}`, { headers: bearer('viewer') });
    expect(cmp.status).toBe(200);
    const html = await cmp.text();
    expect(html).toContain('Selected alternative by project');
    // With 1.2M only one of the two projects fits the budget.
    const selectedRow =
      /<th scope="row">Projects selected<\/th><td class="num">(\d)<\/td><td class="num">(\d)<\/td>/.exec(
        html,
      );
    expect(selectedRow?.slice(1)).toEqual(['2', '1']);
    const list = await app.request('/staff/bca/runs', { headers: bearer('viewer') });
    expect(await list.text()).toContain(`<a href="/bca/${runId}">Yes</a>`);
  });
});

describe('JSON API', () => {
  it('names the schema problems of a scenario sent as JSON', async () => {
    const res = await app.request('/api/v1/staff/bca/scenarios?check=1', {
      method: 'POST',
      body: JSON.stringify({ id: 'x', projects: [{ id: 'a', costs: [{ type: 'capital', amount_usd: 1 }] }] }),
      headers: { 'content-type': 'application/json', ...bearer('analyst') },
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { issues: { path: string; message: string }[] };
    expect(body.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'base_year' }),
        { path: 'projects.0.costs.0', message: 'give exactly one of year or years' },
      ]),
    );
  });

  it('uploads keep working and give staff-only file links', async () => {
    const fd = new FormData();
    const { readFileSync } = await import('node:fs');
    const [file] = (await generateBcaDemo(join(ctx.root, 'demo-upload'))).scenarios;
    fd.set('file', new File([readFileSync(file!)], 'scenario.yaml', { type: 'application/yaml' }));
    const res = await app.request('/api/v1/staff/bca', {
      method: 'POST',
      body: fd,
      headers: bearer('analyst'),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { run_id: string; published: boolean; files: { url: string }[] };
    expect(body.published).toBe(false);
    const url = body.files.find((f) => f.url.endsWith('/ledger.csv'))!.url;
    expect((await app.request(url)).status).toBe(401);
    expect((await app.request(url, { headers: bearer('viewer') })).status).toBe(200);
  });
});
