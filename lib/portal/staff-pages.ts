// Staff pages: sign-in, the dashboard (upload, run a computation, compliance package, audit log).
// Upload progress and the validation report are drawn by /assets/staff.js from the JSON API;
// without script the form posts and the server answers with the finished report.
import { html } from 'hono/html';
import type { UploadJob } from '../api/upload-jobs';
import type { AuditEvent } from '../audit/audit-log';
import type { Principal } from '../auth/principal';
import { hasRole } from '../auth/principal';
import { fmtNumber, page } from './layout';
import type { FamilyInfo } from './measure-data';

export function signInPage(o: { error?: string; notice?: string; enabled: boolean; next?: string }) {
  return page(
    { title: 'Staff sign-in' },
    html`<h1>Staff sign-in</h1>
${o.notice ? html`<p class="notice">${o.notice}</p>` : ''}
${
  o.enabled
    ? html`${o.error ? html`<p class="issue-error" role="alert">${o.error}</p>` : ''}
<form method="post" action="/staff/login">
  <input type="hidden" name="next" value="${o.next ?? '/staff'}">
  <p><label for="user">User name</label><input id="user" name="user" autocomplete="username" required></p>
  <p><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required></p>
  <p><button type="submit">Sign in</button></p>
</form>`
    : html`<p>No staff account is configured on this server. Create one with <code>corridor user hash-password</code> and set
<code>CORRIDOR_ADMIN_USER</code> and <code>CORRIDOR_ADMIN_PASSWORD_HASH</code> (or a token hash in <code>CORRIDOR_ADMIN_TOKEN_SHA256</code>).</p>`
}`,
  );
}

export function dashboardPage(o: {
  who: Principal;
  datasetTypes: string[];
  families: FamilyInfo[];
  bcaEditions: { id: string; title: string }[];
  /** Cognito's managed login offers no TOTP set-up while MFA is optional: link ours (/staff/mfa). */
  mfaSetup?: boolean;
}) {
  const analyst = hasRole(o.who, 'analyst');
  return page(
    { title: 'Staff', user: o.who.user, scripts: ['/assets/staff.js'] },
    html`<h1>Staff area</h1>
<p>Signed in as <strong>${o.who.user}</strong> (${o.who.role}).</p>
<form method="post" action="/staff/logout"><button type="submit">Sign out</button></form>
${o.mfaSetup ? html`<p><a href="/staff/mfa">Set up an authenticator app (two-step sign-in)</a></p>` : ''}
${
  analyst
    ? html`<h2 id="upload-h">Upload data</h2>
<form id="upload" method="post" action="/staff/upload" enctype="multipart/form-data" aria-labelledby="upload-h">
  <p><label for="dataset">Dataset kind</label><select id="dataset" name="dataset">${o.datasetTypes.map((t) => html`<option value="${t}">${t}</option>`)}</select></p>
  <p><label for="name">Name (for named datasets such as one GTFS feed per agency; optional)</label><input id="name" name="name" pattern="[a-z0-9][a-z0-9_-]{0,62}"></p>
  <p><label for="file">File (CSV or ZIP)</label><input id="file" name="file" type="file" required></p>
  <p><button type="submit">Upload and validate</button></p>
</form>
<div id="upload-status" role="status" aria-live="polite"></div>
<div id="upload-report"></div>
<h2 id="compute-h">Run a computation</h2>
<form id="compute" method="post" action="/staff/compute" aria-labelledby="compute-h">
  <p><label for="family">Measure family</label><select id="family" name="family">${o.families.map((f) => html`<option value="${f.name}">${f.title}</option>`)}</select></p>
  <p><label for="year">Year (optional)</label><input id="year" name="year" inputmode="numeric" pattern="[0-9]{4}"></p>
  <p><button type="submit">Run</button></p>
</form>
<div id="compute-status" role="status" aria-live="polite"></div>
<h2 id="bca-h">Benefit-cost analysis</h2>
<p><a href="/staff/bca">Build a scenario in the browser</a> · <a href="/staff/bca/runs">Scenario runs (compare, publish)</a></p>
<form id="bca" method="post" action="/api/v1/staff/bca" enctype="multipart/form-data" aria-labelledby="bca-h">
  <p><label for="bca-file">Scenario (YAML, JSON or Excel) or ledger (CSV)</label><input id="bca-file" name="file" type="file" accept=".yaml,.yml,.json,.xlsx,.csv" required></p>
  <p><label for="bca-edition">Parameter edition (default: the scenario's)</label><select id="bca-edition" name="edition"><option value="">As in the scenario</option>${o.bcaEditions.map((e) => html`<option value="${e.id}">${e.title}</option>`)}</select></p>
  <p><label for="bca-rate">Discount rate (optional, e.g. 0.031)</label><input id="bca-rate" name="discount_rate" inputmode="decimal"></p>
  <p><button type="submit">Run the scenario</button></p>
</form>
<div id="bca-status" role="status" aria-live="polite"></div>
<h2>Federal compliance package</h2>
<p><a href="/staff/compliance">Measures, targets, HPMS file and system performance report</a></p>`
    : html`<p>Your role can read the staff area; uploading and computing need the analyst role.</p>`
}
${hasRole(o.who, 'admin') ? html`<h2>Audit log</h2><p><a href="/staff/audit">Every staff action, newest first</a></p>` : ''}`,
  );
}

export function uploadReportHtml(job: UploadJob) {
  const out = job.outcome;
  const issues = out?.issues ?? [];
  return html`<h2>Validation report: ${job.file}</h2>
<p class="${job.status === 'rejected' || job.status === 'failed' ? 'issue-error' : 'ok'}"><strong>${
    job.status === 'published'
      ? `Published version ${out?.version} of ${out?.datasetId}: ${fmtNumber(out?.rowsPublished)} rows${out?.rowsQuarantined ? `, ${out.rowsQuarantined} quarantined` : ''}.`
      : job.status === 'unchanged'
        ? `Unchanged: identical to version ${out?.version}.`
        : job.status === 'rejected'
          ? 'Rejected: nothing was published.'
          : `Failed: ${job.error ?? ''}`
  }</strong></p>
${out?.version && job.status === 'published' ? html`<p><a href="/datasets/${out.datasetId}">Open ${out.datasetId}</a></p>` : ''}
${
  issues.length
    ? html`<div class="scroll"><table><caption>${issues.length} issue(s)</caption>
<thead><tr><th scope="col">Severity</th><th scope="col">Code</th><th scope="col">File</th><th scope="col" class="num">Line</th><th scope="col">Column</th><th scope="col">Message</th><th scope="col">How to fix</th></tr></thead>
<tbody>${issues
        .slice(0, 500)
        .map(
          (i) =>
            html`<tr><td class="${i.severity === 'error' ? 'issue-error' : ''}">${i.severity}</td><td><code>${i.code}</code></td><td>${i.file ?? ''}</td><td class="num">${i.line ?? ''}</td><td>${i.column ?? ''}</td><td>${i.message}${i.count && i.count > 1 ? ` (${i.count} rows)` : ''}</td><td>${i.fix ?? ''}</td></tr>`,
        )}</tbody></table></div>`
    : ''
}`;
}

export function uploadResultPage(who: Principal, job: UploadJob) {
  return page(
    { title: 'Upload', user: who.user },
    html`<p><a href="/staff">Staff</a> › Upload</p>${uploadReportHtml(job)}`,
  );
}

export function auditPage(who: Principal, events: AuditEvent[]) {
  return page(
    { title: 'Audit log', user: who.user },
    html`<p><a href="/staff">Staff</a> › Audit log</p><h1>Audit log</h1>
<div class="scroll"><table><caption>${events.length} most recent staff actions</caption>
<thead><tr><th scope="col">When (UTC)</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Outcome</th><th scope="col">Versions</th></tr></thead>
<tbody>${events.map((e) => html`<tr><td>${e.at.replace('T', ' ').slice(0, 19)}</td><td>${e.user} (${e.role})</td><td>${e.action}</td><td>${e.target ?? ''}</td><td>${e.outcome}</td><td>${(e.versions ?? []).join(', ')}</td></tr>`)}</tbody></table></div>`,
  );
}

export function compliancePage(
  who: Principal,
  o: {
    rows: {
      measure_id: string;
      measure: string;
      rule: string;
      latest: number | null;
      latest_year: number | null;
      status: string;
      performance_period: string | null;
      baseline_year: number | null;
      target_2yr: number | null;
      target_4yr: number | null;
    }[];
    hpmsYears: number[];
    saved?: boolean;
  },
) {
  return page(
    { title: 'Federal compliance package', user: who.user },
    html`<p><a href="/staff">Staff</a> › Compliance</p><h1>Federal compliance package</h1>
<p>Every file below is built from the latest computed results; each number carries the run, input dataset versions and query hashes it came from.</p>
<ul>
  <li><a href="/api/v1/staff/compliance/measures.csv">Measure and target table (CSV)</a></li>
  <li><a href="/api/v1/staff/compliance/measures.xlsx">Measure and target table (Excel)</a></li>
  <li><a href="/api/v1/staff/compliance/system-performance-report.pdf">System performance report (PDF)</a></li>
  <li>HPMS travel-time metric file (pipe-delimited, validated against the HPMS specification):
${
  o.hpmsYears.length
    ? html`<form method="get" action="/api/v1/staff/compliance/hpms-pm3.txt" class="search">
  <div><label for="hpms-year">Year</label><select id="hpms-year" name="year">${o.hpmsYears.map((y) => html`<option>${y}</option>`)}</select></div>
  <div><label for="hpms-state">State FIPS code</label><input id="hpms-state" name="state_code" inputmode="numeric" pattern="[0-9]{1,2}" required></div>
  <button type="submit">Download</button></form>`
    : html`<span class="muted">no PM3 results yet: run the pm3 computation first</span>`
}</li>
</ul>
<div class="scroll"><table><caption>Measures in the package</caption>
<thead><tr><th scope="col">Measure</th><th scope="col">Rule</th><th scope="col" class="num">Latest</th><th scope="col">Status</th></tr></thead>
<tbody>${o.rows.map((r) => html`<tr><td>${r.measure}</td><td>${r.rule}</td><td class="num">${r.latest === null ? '—' : `${fmtNumber(r.latest, 2)} (${r.latest_year})`}</td><td>${r.status}</td></tr>`)}</tbody></table></div>
<h2 id="targets-h">Targets (23 CFR 490.105)</h2>
${o.saved ? html`<p class="notice" role="status">Targets saved.</p>` : ''}
<form method="post" action="/staff/compliance/targets" aria-labelledby="targets-h">
<div class="scroll"><table><caption>2- and 4-year targets per measure (leave a row empty for no target)</caption>
<thead><tr><th scope="col">Measure</th><th scope="col">Performance period</th><th scope="col">Baseline year</th><th scope="col">2-year target</th><th scope="col">4-year target</th></tr></thead>
<tbody>${o.rows.map(
      (r) => html`<tr><th scope="row">${r.measure}</th>
<td><label class="sr-only" for="${r.measure_id}-period">Performance period of ${r.measure}</label><input id="${r.measure_id}-period" name="${r.measure_id}.period" value="${r.performance_period ?? ''}" placeholder="2022-2025" pattern="\d{4}-\d{4}" size="9"></td>
<td><label class="sr-only" for="${r.measure_id}-base">Baseline year of ${r.measure}</label><input id="${r.measure_id}-base" name="${r.measure_id}.baseline_year" value="${r.baseline_year ?? ''}" inputmode="numeric" size="5"></td>
<td><label class="sr-only" for="${r.measure_id}-t2">2-year target of ${r.measure}</label><input id="${r.measure_id}-t2" name="${r.measure_id}.target_2yr" value="${r.target_2yr ?? ''}" inputmode="decimal" size="7"></td>
<td><label class="sr-only" for="${r.measure_id}-t4">4-year target of ${r.measure}</label><input id="${r.measure_id}-t4" name="${r.measure_id}.target_4yr" value="${r.target_4yr ?? ''}" inputmode="decimal" size="7"></td></tr>`,
    )}</tbody></table></div>
<p><button type="submit">Save targets</button></p>
</form>
<p class="muted">Also through the API: <code>PUT /api/v1/staff/compliance/targets</code> (analyst role). Every change is audit-logged.</p>`,
  );
}
