// The API reference as one server-rendered page generated from the OpenAPI document. Swagger UI
// loads its assets from a CDN by default, which fails offline and would expose visitors to a
// third party; this page needs nothing but the app. Each GET route has a "try it" link.
import { html } from 'hono/html';
import { page } from '../portal/layout';

interface Op {
  summary?: string;
  description?: string;
  operationId?: string;
  parameters?: {
    name: string;
    in: string;
    required?: boolean;
    description?: string;
    schema?: { type?: string; default?: unknown; enum?: unknown[] };
    example?: unknown;
  }[];
  responses?: Record<string, { description?: string; content?: Record<string, unknown> }>;
  security?: unknown[];
}

export function docsPage(doc: {
  info: { title: string; version: string; description?: string };
  paths?: Record<string, Record<string, Op>>;
}) {
  const paths = Object.entries(doc.paths ?? {});
  const example = (path: string, op: Op) =>
    path.replace(/\{(\w+)\}/g, (_, n: string) => {
      const p = op.parameters?.find((x) => x.name === n);
      return String(p?.example ?? (p?.schema as { example?: unknown } | undefined)?.example ?? n);
    });
  return page(
    { title: 'API reference', scripts: ['/assets/docs.js'] },
    html`<h1>${doc.info.title} <span class="muted">${doc.info.version}</span></h1>
<p>${doc.info.description ?? ''}</p>
<p>The machine-readable description is <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Read-only routes need no key and allow any origin (CORS). Examples:</p>
<pre>curl -s ${'{origin}'}/api/v1/datasets?q=commute
curl -s "${'{origin}'}/api/v1/datasets/acs_b08301/tables/acs_commute_mode/rows?limit=5&amp;year=2024"
curl -sO ${'{origin}'}/download/acs_b08301/latest/acs_commute_mode.csv</pre>
<nav aria-label="Routes"><ul>${paths.flatMap(([p, ops]) => Object.entries(ops).map(([m, op]) => html`<li><a href="#${op.operationId ?? `${m}-${p}`}"><code>${m.toUpperCase()} ${p}</code></a> — ${op.summary ?? ''}</li>`))}</ul></nav>
${paths.flatMap(([p, ops]) =>
  Object.entries(ops).map(
    ([m, op]) => html`<section id="${op.operationId ?? `${m}-${p}`}" class="card" style="margin:1rem 0">
<h2 style="font-size:1.1rem"><code>${m.toUpperCase()} ${p}</code></h2>
<p>${op.summary ?? ''}${op.description ? html`<br>${op.description}` : ''}</p>
${op.security?.length ? html`<p class="notice">Staff only: needs a session or <code>Authorization: Bearer</code> token.</p>` : ''}
${
  op.parameters?.length
    ? html`<table><caption>Parameters</caption><thead><tr><th scope="col">Name</th><th scope="col">In</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Description</th></tr></thead>
<tbody>${op.parameters.map((x) => html`<tr><td><code>${x.name}</code></td><td>${x.in}</td><td>${x.schema?.type ?? ''}${x.schema?.enum ? ` (${x.schema.enum.join(' | ')})` : ''}${x.schema?.default !== undefined ? `, default ${String(x.schema.default)}` : ''}</td><td>${x.required ? 'yes' : 'no'}</td><td>${x.description ?? ''}</td></tr>`)}</tbody></table>`
    : ''
}
<table><caption>Responses</caption><thead><tr><th scope="col">Status</th><th scope="col">Description</th><th scope="col">Content types</th></tr></thead>
<tbody>${Object.entries(op.responses ?? {}).map(([s, r]) => html`<tr><td>${s}</td><td>${r.description ?? ''}</td><td>${Object.keys(r.content ?? {}).join(', ')}</td></tr>`)}</tbody></table>
${
  m === 'get' && !op.security?.length
    ? html`<form class="try search" data-path="${p}" method="get" action="${example(p, op)}" aria-label="Try ${p}">
${(op.parameters ?? []).map((x) => {
  const id = `${op.operationId}-${x.name}`;
  const value = x.example ?? (x.schema as { example?: unknown } | undefined)?.example ?? '';
  return html`<div><label for="${id}">${x.name}</label><input id="${id}" name="${x.name}" data-in="${x.in}" value="${String(value)}" size="14"></div>`;
})}
<button type="submit">Try it</button></form>
<pre class="try-out" aria-live="polite" hidden></pre>`
    : ''
}
</section>`,
  ),
)}`,
  );
}

/** Fills path parameters, drops empty ones, calls the route and shows the answer under the form. */
export const DOCS_JS = `
document.querySelectorAll('form.try').forEach(function (f) {
  f.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var path = f.dataset.path;
    var q = new URLSearchParams();
    f.querySelectorAll('input').forEach(function (i) {
      if (i.dataset.in === 'path') path = path.replace('{' + i.name + '}', encodeURIComponent(i.value));
      else if (i.value !== '') q.set(i.name, i.value);
    });
    var url = path + (q.toString() ? '?' + q : '');
    var out = f.nextElementSibling;
    out.hidden = false;
    out.textContent = 'GET ' + url + ' …';
    fetch(url).then(function (r) {
      return r.text().then(function (t) {
        var type = r.headers.get('content-type') || '';
        if (type.indexOf('json') >= 0) { try { t = JSON.stringify(JSON.parse(t), null, 2); } catch (e) {} }
        out.textContent = 'GET ' + url + '\\n' + r.status + ' ' + type + '\\n\\n' + (t.length > 6000 ? t.slice(0, 6000) + '\\n…' : t);
      });
    });
  });
});
`;
