// The one script the portal serves (staff pages only): submits uploads and computations through
// the JSON API and shows live progress and the validation report. Served from our own origin so
// the Content-Security-Policy can forbid inline and third-party scripts.
export const STAFF_JS = `
(function () {
  var esc = function (s) { return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); };
  var up = document.getElementById('upload');
  if (up) up.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var status = document.getElementById('upload-status');
    var report = document.getElementById('upload-report');
    report.innerHTML = '';
    status.innerHTML = 'Uploading… <progress aria-label="upload progress"></progress>';
    fetch('/api/v1/staff/uploads', { method: 'POST', body: new FormData(up), credentials: 'same-origin' })
      .then(function (r) { return r.json().then(function (b) { return { ok: r.ok, body: b }; }); })
      .then(function (res) {
        if (!res.ok) { status.innerHTML = '<span class="issue-error">' + esc(res.body.message) + '</span>'; return; }
        var id = res.body.id;
        var poll = function () {
          fetch('/api/v1/staff/uploads/' + id + '?format=html', { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (job) {
            if (job.status === 'running') {
              var pct = job.total ? ' <progress max="' + job.total + '" value="' + job.done + '"></progress>' : ' <progress></progress>';
              status.innerHTML = 'Validating: ' + esc(job.stage) + pct;
              setTimeout(poll, 300);
            } else {
              status.textContent = 'Finished: ' + job.status;
              report.innerHTML = job.report_html;
            }
          });
        };
        poll();
      });
  });
  var cf = document.getElementById('compute');
  if (cf) cf.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var status = document.getElementById('compute-status');
    status.innerHTML = 'Running… <progress aria-label="computation progress"></progress>';
    var body = { family: cf.family.value };
    if (cf.year.value) body.year = Number(cf.year.value);
    fetch('/api/v1/staff/compute', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (b) { status.innerHTML = b.run_id ? 'Done: run ' + esc(b.run_id) + ' — <a href="/measures/' + esc(body.family) + '">see the results</a>' : '<span class="issue-error">' + esc(b.message) + '</span>'; });
  });
  var bf = document.getElementById('bca');
  if (bf) bf.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var status = document.getElementById('bca-status');
    status.innerHTML = 'Running the scenario… <progress aria-label="analysis progress"></progress>';
    fetch('/api/v1/staff/bca', { method: 'POST', body: new FormData(bf), credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (b) {
        if (!b.scenario_id) {
          var list = (b.issues || []).map(function (i) { return '<li>' + esc(i.severity) + ' ' + esc(i.code) + (i.line ? ' line ' + esc(i.line) : '') + ': ' + esc(i.message) + '</li>'; }).join('');
          status.innerHTML = '<span class="issue-error">' + esc(b.message) + '</span><ul>' + list + '</ul>';
          return;
        }
        var npv = b.npv_usd == null ? '—' : Math.round(b.npv_usd).toLocaleString('en-US') + ' USD';
        var links = b.files.map(function (f) { return '<li><a href="' + esc(f.url) + '">' + esc(f.name) + '</a></li>'; }).join('');
        status.innerHTML = '<p><strong>' + esc(b.title) + '</strong>: net present value ' + esc(npv) + ', benefit-cost ratio ' + (b.bcr == null ? '—' : esc(b.bcr.toFixed(2))) + '.</p><ul>' + links + '</ul>';
      });
  });
})();
`;
