// The one script the portal serves (staff pages only): submits uploads and computations through
// the JSON API and shows upload progress, live validation progress and the validation report.
// Served from our own origin so the Content-Security-Policy can forbid inline and third-party scripts.
export const STAFF_JS = `
(function () {
  var esc = function (s) { return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); };
  // Uploads with a script always go straight to storage (presigned PUT, lib/api/staff-direct-upload.ts):
  // on AWS the API takes request bodies of at most ~4.5 MB and this page cannot know the cap of the
  // gateway in front of it, so one path that works for every size beats guessing. Without a script
  // the form still posts multipart to /staff/upload, which suits small files.
  var up = document.getElementById('upload');
  if (up) up.addEventListener('submit', function (ev) {
    var fd = new FormData(up);
    var file = fd.get('file');
    if (!file || typeof file === 'string' || !file.size) return;
    ev.preventDefault();
    var status = document.getElementById('upload-status');
    var report = document.getElementById('upload-report');
    report.innerHTML = '';
    var fail = function (msg) { status.innerHTML = '<span class="issue-error">' + esc(msg) + '</span>'; };
    var json = function (r) { return r.json().then(function (b) { return { ok: r.ok, body: b }; }, function () { return { ok: false, body: { message: 'the server answered ' + r.status } }; }); };
    var mb = function (n) { return (n / 1048576).toFixed(1) + ' MB'; };
    var poll = function (url) {
      fetch(url + '?format=html', { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (job) {
        if (job.status === 'running') {
          var pct = job.total ? ' <progress max="' + job.total + '" value="' + job.done + '"></progress>' : ' <progress></progress>';
          status.innerHTML = 'Validating: ' + esc(job.stage) + pct;
          setTimeout(function () { poll(url); }, 300);
        } else {
          status.textContent = 'Finished: ' + job.status;
          report.innerHTML = job.report_html || '';
        }
      });
    };
    var ask = { dataset: fd.get('dataset'), fileName: file.name, bytes: file.size, contentType: file.type || 'application/octet-stream' };
    if (fd.get('name')) ask.name = fd.get('name');
    status.innerHTML = 'Preparing the upload…';
    fetch('/api/v1/staff/uploads/direct', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ask), credentials: 'same-origin' })
      .then(json)
      .then(function (res) {
        if (!res.ok) return fail(res.body.message);
        var g = res.body;
        var xhr = new XMLHttpRequest();
        xhr.open('PUT', g.url);
        Object.keys(g.headers).forEach(function (h) { xhr.setRequestHeader(h, g.headers[h]); });
        xhr.upload.onprogress = function (e) {
          status.innerHTML = 'Uploading: ' + mb(e.loaded) + ' of ' + mb(file.size) + ' <progress aria-label="upload progress" max="' + file.size + '" value="' + e.loaded + '"></progress>';
        };
        xhr.onerror = function () { fail('the upload did not reach storage (the connection dropped, or the bucket refused this site: its CORS rule); try again'); };
        xhr.onload = function () {
          if (xhr.status < 200 || xhr.status > 299) return fail('storage refused the upload (HTTP ' + xhr.status + ')');
          status.innerHTML = 'Uploaded; starting validation… <progress></progress>';
          fetch(g.complete_url, { method: 'POST', credentials: 'same-origin' }).then(json).then(function (done) {
            if (!done.ok) return fail(done.body.message);
            poll(done.body.status_url);
          });
        };
        status.innerHTML = 'Uploading… <progress aria-label="upload progress"></progress>';
        xhr.send(file);
      });
  });
  // On AWS computations and scenario runs are queued (lib/api/staff-requests.ts, answer 202): follow
  // the status URL, then show the finished request's result as the local answer would be shown.
  var follow = function (b, status, show) {
    if (b.status !== 'queued' || !b.status_url) return show(b);
    fetch(b.status_url, { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (s) {
      if (s.status === 'queued' || s.status === 'running') {
        status.innerHTML = (s.status === 'queued' ? 'Queued' : 'Running') + '… <progress></progress>';
        setTimeout(function () { follow(b, status, show); }, 2000);
      } else show(s.result || { message: s.error });
    });
  };
  var cf = document.getElementById('compute');
  if (cf) cf.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var status = document.getElementById('compute-status');
    status.innerHTML = 'Running… <progress aria-label="computation progress"></progress>';
    var body = { family: cf.family.value };
    if (cf.year.value) body.year = Number(cf.year.value);
    fetch('/api/v1/staff/compute', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (q) { follow(q, status, function (b) { status.innerHTML = b.run_id ? 'Done: run ' + esc(b.run_id) + ' — <a href="/measures/' + esc(body.family) + '">see the results</a>' : '<span class="issue-error">' + esc(b.message) + '</span>'; }); });
  });
  var bf = document.getElementById('bca');
  if (bf) bf.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var status = document.getElementById('bca-status');
    status.innerHTML = 'Running the scenario… <progress aria-label="analysis progress"></progress>';
    fetch('/api/v1/staff/bca', { method: 'POST', body: new FormData(bf), credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (q) { follow(q, status, function (b) {
        if (!b.scenario_id) {
          var list = (b.issues || []).map(function (i) { return '<li>' + esc(i.severity) + ' ' + esc(i.code) + (i.line ? ' line ' + esc(i.line) : '') + ': ' + esc(i.message) + '</li>'; }).join('');
          status.innerHTML = '<span class="issue-error">' + esc(b.message) + '</span><ul>' + list + '</ul>';
          return;
        }
        var npv = b.npv_usd == null ? '—' : Math.round(b.npv_usd).toLocaleString('en-US') + ' USD';
        var links = b.files.map(function (f) { return '<li><a href="' + esc(f.url) + '">' + esc(f.name) + '</a></li>'; }).join('');
        status.innerHTML = '<p><strong>' + esc(b.title) + '</strong>: net present value ' + esc(npv) + ', benefit-cost ratio ' + (b.bcr == null ? '—' : esc(b.bcr.toFixed(2))) + '.</p><ul>' + links + '</ul>';
      }); });
  });
})();
`;
