// The scenario builder page: one plain HTML form (no script needed) whose buttons add and remove
// rows, check the scenario, download it as YAML or run it. Errors come back from the server as a
// summary at the top whose links jump to the fields, and as a message beside each field
// (WCAG 2.1 AA: 1.3.1, 3.3.1, 3.3.3; the pattern of the GOV.UK error summary).
import { html } from 'hono/html';
import type { Principal } from '../auth/principal';
import type { Issue } from '../ingest/issues';
import { type Html, page } from './layout';
import {
  type Draft,
  type DraftAlt,
  type DraftEffect,
  EFFECT_COMMON,
  EFFECT_KINDS,
  type FieldSpec,
} from './staff-bca-form';
import type { FieldError } from './staff-bca-scenario';

export interface BuilderOptions {
  who: Principal;
  draft: Draft;
  errors?: FieldError[];
  /** Problems the analysis found when it ran (beyond the schema). */
  runIssues?: Issue[];
  focus?: string;
  editions: { id: string; title: string; dollarYear: number; discountRate: number }[];
  strategies: { id: string; title: string }[];
  copies: { value: string; label: string }[];
  notice?: string;
}

const idOf = (name: string) => `f-${name.replace(/[^A-Za-z0-9]+/g, '-')}`;

const SCENARIO_LABELS: Record<string, string> = {
  id: 'Scenario id',
  title: 'Title',
  description: 'Description',
  agency: 'Agency',
  edition: 'Parameter edition',
  base_year: 'Discount year (base year)',
  dollar_year: 'Dollar year of results',
  discount_rate: 'Discount rate',
  selection: 'Project selection',
  extra: 'More scenario settings',
};
const COST_LABELS: Record<string, string> = {
  type: 'Cost type',
  from: 'Year (or first year)',
  to: 'Last year (for a recurring cost)',
  amount_usd: 'Amount (USD, each year)',
  dollar_year: 'Dollar year',
  fund: 'Fund source',
  extra: 'More cost settings',
};

/** A person's name for a form field, for the error summary. */
export function describeField(d: Draft, name: string): string {
  const parts = name.split('.');
  const out: string[] = [];
  let i = 0;
  const take = (what: string) => {
    const n = Number(parts[i + 1]);
    i += 2;
    return { n, label: `${what} ${n + 1}` };
  };
  if (parts[0] === 'budgets') {
    const { label } = take('Budget row');
    const f = parts[i];
    return `${label}: ${f === 'amount_usd' ? 'amount' : (f ?? 'row')}`;
  }
  if (parts[0] !== 'projects') return SCENARIO_LABELS[name] ?? name;
  const p = take('Project');
  const proj = d.projects[p.n];
  out.push(proj?.id ? `Project ${proj.id}` : p.label);
  let alt: DraftAlt | undefined;
  let eff: DraftEffect | undefined;
  let section: 'project' | 'alt' | 'cost' | 'effect' = 'project';
  if (parts[i] === 'alternatives') {
    const a = take('Alternative');
    alt = proj?.alternatives[a.n];
    out.push(alt?.id ? `alternative ${alt.id}` : a.label.toLowerCase());
    section = 'alt';
    if (parts[i] === 'costs') {
      out.push(take('cost').label);
      section = 'cost';
    } else if (parts[i] === 'effects') {
      const e = take('benefit');
      eff = alt?.effects[e.n];
      out.push(e.label);
      section = 'effect';
    }
  }
  const rest = parts.slice(i).join('.');
  const spec = [...EFFECT_COMMON, ...(EFFECT_KINDS[eff?.kind ?? '']?.fields ?? [])].find(
    (s) => s.path === rest,
  );
  const label =
    rest === ''
      ? ''
      : section === 'cost'
        ? (COST_LABELS[rest] ?? rest)
        : section === 'effect'
          ? (spec?.label ?? (rest === 'extra' ? 'more settings' : rest))
          : rest === 'extra'
            ? 'more settings'
            : rest;
  return `${out.join(' › ')}${label ? `: ${label}` : ''}`;
}

export function builderPage(o: BuilderOptions) {
  const d = o.draft;
  const errs = new Map<string, string>();
  for (const e of o.errors ?? []) if (!errs.has(e.field)) errs.set(e.field, e.message);
  // Messages whose field is a whole row or list are shown at the nearest rendered anchor.
  const anchors = new Set<string>();
  const funds = [...new Set(d.budgets.map((b) => b.fund).filter(Boolean))];

  const control = (
    name: string,
    label: string,
    value: string,
    opts: {
      type?: FieldSpec['type'] | 'textarea';
      options?: readonly { v: string; t: string }[];
      hidden?: boolean;
      list?: string;
    } = {},
  ): Html => {
    anchors.add(name);
    const id = idOf(name);
    const err = errs.get(name);
    const described = err ? `${id}-err` : undefined;
    const labelEl = html`<label for="${id}" class="${opts.hidden ? 'sr-only' : ''}">${label}</label>`;
    const errEl = err
      ? html`<span id="${id}-err" class="issue-error field-error"><span class="sr-only">Error: </span>${err}</span>`
      : '';
    const common = { id, name, described, autofocus: o.focus === name };
    const input =
      opts.type === 'select'
        ? html`<select id="${common.id}" name="${name}" ${err ? html`aria-invalid="true" aria-describedby="${described}"` : ''} ${common.autofocus ? html`autofocus` : ''}>${(opts.options ?? []).map((x) => html`<option value="${x.v}" ${x.v === value ? html`selected` : ''}>${x.t}</option>`)}</select>`
        : opts.type === 'textarea'
          ? html`<textarea id="${id}" name="${name}" rows="${Math.min(14, Math.max(3, value.split('\n').length))}" cols="60" ${err ? html`aria-invalid="true" aria-describedby="${described}"` : ''} spellcheck="false">${value}</textarea>`
          : html`<input id="${id}" name="${name}" value="${value}" ${opts.type === 'number' ? html`inputmode="decimal"` : opts.type === 'int' ? html`inputmode="numeric"` : ''} ${opts.list ? html`list="${opts.list}"` : ''} ${err ? html`aria-invalid="true" aria-describedby="${described}"` : ''} ${common.autofocus ? html`autofocus` : ''}>`;
    return html`${labelEl}${errEl}${input}`;
  };
  const para = (x: Html) => html`<div class="field">${x}</div>`;
  // Hidden words give repeated buttons a unique name for screen readers; the visible text stays
  // part of that name (WCAG 2.5.3 label in name).
  const btn = (
    value: string,
    text: string,
    cls = 'secondary',
    sr: { before?: string; after?: string } = {},
  ) =>
    html`<button type="submit" name="action" value="${value}" class="${cls}" formnovalidate>${sr.before ? html`<span class="sr-only">${sr.before} </span>` : ''}${text}${sr.after ? html`<span class="sr-only"> ${sr.after}</span>` : ''}</button>`;
  const rowError = (name: string) => {
    anchors.add(name);
    const e = errs.get(name);
    return e ? html`<p class="issue-error field-error" id="${idOf(name)}-err">${e}</p>` : '';
  };

  const costRow = (
    prefix: string,
    c: Draft['projects'][number]['alternatives'][number]['costs'][number],
    k: number,
    where: string,
  ) => {
    const n = `${prefix}.costs.${k}`;
    const cell = (
      f: string,
      type: FieldSpec['type'],
      v: string,
      extra: { options?: { v: string; t: string }[]; list?: string } = {},
    ) =>
      html`<td>${control(`${n}.${f}`, `Cost ${k + 1}: ${COST_LABELS[f]}`, v, { type, hidden: true, ...extra })}</td>`;
    return html`<tr id="${idOf(n)}">${cell('type', 'select', c.type, {
      options: [
        { v: 'capital', t: 'Capital' },
        { v: 'om', t: 'Operations & maintenance' },
        { v: 'rehab', t: 'Rehabilitation' },
      ],
    })}${cell('from', 'int', c.from)}${cell('to', 'int', c.to)}${cell('amount_usd', 'number', c.amount_usd)}${cell('dollar_year', 'int', c.dollar_year)}${cell('fund', 'text', c.fund, { list: 'funds' })}<td>${c.extra ? html`<input type="hidden" name="${n}.extra" value="${c.extra}">` : ''}${btn(`remove:${n}`, `Remove cost ${k + 1}`, 'secondary', { after: `of ${where}` })}${rowError(n)}</td></tr>`;
  };

  const effectBlock = (prefix: string, e: DraftEffect, k: number, where: string) => {
    const n = `${prefix}.effects.${k}`;
    anchors.add(n);
    const kind = EFFECT_KINDS[e.kind];
    const specs = [...EFFECT_COMMON, ...(kind?.fields ?? [])];
    return html`<fieldset id="${idOf(n)}" class="effect"><legend>Benefit ${k + 1}: ${kind?.title ?? e.kind}</legend>
<input type="hidden" name="${n}.kind" value="${e.kind}">${rowError(n)}${rowError(`${n}.kind`)}${
      e.kind === 'operations'
        ? html`<p class="muted">Blank reductions take the library's defaults; what each applies to, and its source: <a href="/bca/parameters#operations">operations strategies</a>.</p>`
        : ''
    }
<div class="grid">${specs.map((s) =>
      para(
        control(`${n}.${s.path}`, s.label, e.fields[s.path] ?? '', {
          type: s.type,
          options:
            s.path === 'strategy'
              ? [{ v: '', t: 'Choose a strategy' }, ...o.strategies.map((x) => ({ v: x.id, t: x.title }))]
              : s.options
                ? [
                    ...(s.required ? [] : [{ v: '', t: 'Default' }]),
                    ...s.options.map((x) => ({ v: x, t: x })),
                  ]
                : undefined,
        }),
      ),
    )}</div>
${para(control(`${n}.extra`, 'More settings (YAML, optional: sources, occupancy, rates…)', e.extra, { type: 'textarea' }))}
<p>${btn(`remove:${n}`, `Remove benefit ${k + 1}`, 'secondary', { after: `of ${where}` })}</p></fieldset>`;
  };

  const altBlock = (prefix: string, a: DraftAlt, j: number, count: number) => {
    const n = `${prefix}.alternatives.${j}`;
    const where = `alternative ${j + 1} of project ${Number(prefix.split('.')[1]) + 1}`;
    anchors.add(n);
    return html`<fieldset id="${idOf(n)}" class="alt"><legend>Alternative ${j + 1}${a.id ? html` (${a.id})` : ''}</legend>${rowError(n)}
<div class="grid">${para(control(`${n}.id`, 'Alternative id', a.id))}${para(control(`${n}.title`, 'Alternative title (optional)', a.title))}</div>
<div class="scroll"><table><caption>Costs of alternative ${j + 1}</caption>
<thead><tr><th scope="col">Type</th><th scope="col">Year (or first year)</th><th scope="col">Last year (recurring)</th><th scope="col">Amount (USD, each year)</th><th scope="col">Dollar year</th><th scope="col">Fund source</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
<tbody>${a.costs.map((c, k) => costRow(n, c, k, where))}</tbody></table></div>
${rowError(`${n}.costs`)}<p>${btn(`add:${n}.costs`, 'Add a cost row', 'secondary', { after: `to ${where}` })}</p>
${a.effects.map((e, k) => effectBlock(n, e, k, where))}${rowError(`${n}.effects`)}
<p class="adds">Add a benefit: ${Object.entries(EFFECT_KINDS).map(([k, v]) => btn(`add-effect:${k}:${n}.effects`, v.title, 'secondary', { before: 'Add a benefit:', after: `to ${where}` }))}</p>
${para(control(`${n}.extra`, 'More alternative settings (YAML, optional: residual, notes)', a.extra, { type: 'textarea' }))}
${count > 1 ? html`<p>${btn(`remove:${n}`, `Remove alternative ${j + 1}`)}</p>` : ''}</fieldset>`;
  };

  const projectBlock = (p: Draft['projects'][number], i: number) => {
    const n = `projects.${i}`;
    anchors.add(n);
    return html`<fieldset id="${idOf(n)}" class="project"><legend>Project ${i + 1}${p.id ? html` (${p.id})` : ''}</legend>${rowError(n)}
<div class="grid">${para(control(`${n}.id`, 'Project id', p.id))}${para(control(`${n}.title`, 'Project title', p.title))}${para(control(`${n}.sponsor`, 'Sponsor (optional)', p.sponsor))}${para(control(`${n}.category`, 'Category (optional)', p.category))}</div>
<div class="field"><input type="checkbox" id="${idOf(`${n}.committed`)}" name="${n}.committed" value="on" ${p.committed ? html`checked` : ''}> <label for="${idOf(`${n}.committed`)}" class="inline">Committed (always selected)</label></div>
${p.alternatives.map((a, j) => altBlock(n, a, j, p.alternatives.length))}${rowError(`${n}.alternatives`)}
<p>${btn(`add:${n}.alternatives`, 'Add a mutually exclusive alternative')}</p>
${para(control(`${n}.extra`, 'More project settings (YAML, optional: requires, unquantified)', p.extra, { type: 'textarea' }))}
<p>${btn(`remove:${n}`, `Remove project ${i + 1}`)}</p></fieldset>`;
  };

  const editionOptions = [
    { v: '', t: 'Default edition' },
    ...o.editions.map((e) => ({
      v: e.id,
      t: `${e.title} — ${e.dollarYear} dollars, ${(e.discountRate * 100).toFixed(1)}%`,
    })),
  ];
  const form = html`<form method="post" action="/staff/bca" novalidate aria-labelledby="builder-h">
<h2 id="builder-h">Scenario</h2>
<p>${btn('check', 'Check the scenario', '')}</p>
<fieldset id="f-scenario"><legend>About the scenario</legend>
<div class="grid">${para(control('id', 'Scenario id (letters, digits, _ . -)', d.id))}${para(control('title', 'Title', d.title))}${para(control('agency', 'Agency (optional)', d.agency))}
${para(control('base_year', 'Discount year (base year)', d.base_year, { type: 'int' }))}${para(control('edition', 'Parameter edition', d.edition, { type: 'select', options: editionOptions }))}
${para(control('discount_rate', 'Discount rate (optional, default: the edition’s)', d.discount_rate, { type: 'number' }))}${para(control('dollar_year', 'Dollar year of results (optional)', d.dollar_year, { type: 'int' }))}
${para(
  control('selection', 'Project selection', d.selection, {
    type: 'select',
    options: [
      { v: 'optimal', t: 'Best portfolio within the budgets' },
      { v: 'as_listed', t: 'First alternative of every project' },
    ],
  }),
)}</div>
${para(control('description', 'Description (optional)', d.description, { type: 'textarea' }))}
${para(control('extra', 'More scenario settings (YAML, optional: sensitivity, risk, price_forecast)', d.extra, { type: 'textarea' }))}
</fieldset>
<fieldset id="f-budgets"><legend>Budgets by year and fund source</legend>${rowError('budgets')}
<div class="scroll"><table><caption>Budget rows (leave a row empty to ignore it)</caption>
<thead><tr><th scope="col">Year</th><th scope="col">Fund source</th><th scope="col">Amount (USD)</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
<tbody>${d.budgets.map(
    (b, i) =>
      html`<tr id="${idOf(`budgets.${i}`)}"><td>${control(`budgets.${i}.year`, `Budget row ${i + 1}: year`, b.year, { type: 'int', hidden: true })}</td><td>${control(`budgets.${i}.fund`, `Budget row ${i + 1}: fund source`, b.fund, { hidden: true })}</td><td>${control(`budgets.${i}.amount_usd`, `Budget row ${i + 1}: amount (USD)`, b.amount_usd, { type: 'number', hidden: true })}</td><td>${btn(`remove:budgets.${i}`, `Remove budget row ${i + 1}`)}${rowError(`budgets.${i}`)}</td></tr>`,
  )}</tbody></table></div>
<p>${btn('add:budgets', 'Add a budget row')}</p></fieldset>
<datalist id="funds">${funds.map((f) => html`<option value="${f}"></option>`)}</datalist>
<h2 id="projects-h">Projects</h2>${rowError('projects')}
${d.projects.map(projectBlock)}
<p>${btn('add:projects', 'Add a project')}</p>
<div class="actions">${btn('check', 'Check the scenario', '')} ${btn('yaml', 'Download as YAML', '')} ${btn('run', 'Run the analysis', '')}</div>
</form>`;

  // The summary is drawn after the form so it knows which anchors exist.
  const target = (field: string) => {
    let f = field;
    while (f && !anchors.has(f)) f = f.includes('.') ? f.slice(0, f.lastIndexOf('.')) : '';
    return f ? `#${idOf(f)}` : '#builder-h';
  };
  const errors = o.errors ?? [];
  // The analysis repeats a message per value it looks up; once is enough here.
  const runErrors = [
    ...new Map(
      (o.runIssues ?? []).filter((i) => i.severity === 'error').map((i) => [`${i.code} ${i.message}`, i]),
    ).values(),
  ];
  // Calculator messages start "project <id>:"; link them to that project's fieldset.
  const runField = (i: Issue) => {
    if (i.column) return i.column;
    const id = /^project ([^:\s]+):/.exec(i.message)?.[1];
    const n = id ? d.projects.findIndex((p) => p.id === id) : -1;
    return n >= 0 ? `projects.${n}` : undefined;
  };
  const summary =
    errors.length || runErrors.length
      ? html`<div class="error-summary" role="alert" aria-labelledby="error-summary-h" tabindex="-1" autofocus>
<h2 id="error-summary-h">${errors.length + runErrors.length} problem${errors.length + runErrors.length === 1 ? '' : 's'} to fix</h2>
<ul>${errors.map((e) => html`<li><a href="${target(e.field)}">${describeField(d, e.field)}${/^(is|must) /.test(e.message) ? ' ' : ': '}${e.message}</a></li>`)}${runErrors.map(
          (i) =>
            html`<li>${runField(i) ? html`<a href="${target(runField(i)!)}">${describeField(d, runField(i)!)}</a>: ` : ''}${i.message}${i.fix ? ` (${i.fix})` : ''} <code>${i.code}</code></li>`,
        )}</ul></div>`
      : '';
  const warnings = (o.runIssues ?? []).filter((i) => i.severity !== 'error');

  return page(
    { title: 'Scenario builder', user: o.who.user, scripts: ['/assets/staff-bca.js'] },
    html`<style>${STYLE}</style><p><a href="/staff">Staff</a> › <a href="/staff/bca/runs">Scenario runs</a> › Builder</p>
<h1>Build a benefit-cost scenario</h1>
${summary}${o.notice ? html`<p class="notice" role="status">${o.notice}</p>` : ''}
${warnings.length ? html`<details><summary>${warnings.length} warning(s) from the last run</summary><ul>${warnings.map((w) => html`<li>${w.message} <code>${w.code}</code></li>`)}</ul></details>` : ''}
<p>Every field maps to the scenario file the command line reads (<code>corridor bca run scenario.yaml</code>); “Download as YAML” gives you that file.
Costs are in constant dollars of their dollar year unless “More cost settings” says <code>yoe: true</code>. Leave a row empty to ignore it.</p>
<form method="get" action="/staff/bca" class="search" aria-labelledby="copy-h"><h2 id="copy-h" class="sr-only">Start from a copy</h2>
<div><label for="from">Start from a copy of an existing scenario</label><select id="from" name="from">${o.copies.map((c) => html`<option value="${c.value}">${c.label}</option>`)}</select></div>
<button type="submit">Copy into the form</button> <a href="/staff/bca?new=1">Start empty</a></form>
<form method="post" action="/staff/bca/load" enctype="multipart/form-data" class="search" aria-labelledby="load-h"><h2 id="load-h" class="sr-only">Load a scenario file</h2>
<div><label for="load-file">Or load a scenario file (YAML, JSON or the Excel template)</label><input id="load-file" name="file" type="file" accept=".yaml,.yml,.json,.xlsx" required></div>
<button type="submit">Load into the form</button></form>
${form}`,
  );
}

const STYLE = `
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 1rem 0; padding: .5rem 1rem 1rem; }
fieldset.alt { background: #fafafa; } fieldset.effect { background: #fff; }
legend { font-weight: 700; padding: 0 .3rem; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: .2rem 1rem; align-items: end; }
.field { margin: .4rem 0; } label.inline { display: inline; font-weight: 400; }
textarea { font: inherit; font-family: ui-monospace, monospace; width: 100%; border: 1px solid #767676; border-radius: 4px; padding: .4rem; }
textarea:focus-visible, .error-summary:focus { outline: 3px solid #ffbf47; outline-offset: 2px; }
td input, td select { width: 100%; min-width: 6rem; }
button.secondary { background: #fff; color: var(--accent); margin: .15rem .3rem .15rem 0; }
.adds button { font-size: .9rem; }
.actions { border-top: 1px solid var(--line); padding: .6rem 0; }
.grid input, .grid select { width: 100%; }
.error-summary { border: 4px solid var(--bad); padding: .5rem 1rem; margin: 1rem 0; }
.field-error { display: block; font-weight: 600; }
[aria-invalid="true"] { border: 2px solid var(--bad); }
`;

/**
 * The builder's only script, an enhancement: a link in the error summary moves the focus to its
 * field (a plain fragment link only scrolls), with the field's label in view.
 */
export const BUILDER_JS = `
document.addEventListener('click', function (ev) {
  var a = ev.target instanceof Element ? ev.target.closest('.error-summary a[href^="#"]') : null;
  if (!a) return;
  var target = document.getElementById(a.getAttribute('href').slice(1));
  if (!target) return;
  var field = target.matches('input, select, textarea') ? target : target.querySelector('input:not([type=hidden]), select, textarea, button');
  if (!field) return;
  ev.preventDefault();
  field.focus({ preventScroll: true });
  var label = document.querySelector('label[for="' + field.id + '"]');
  (label && !label.classList.contains('sr-only') ? label : field).scrollIntoView({ block: 'center' });
});
`;
