// Following queued staff work (staff-requests.ts): the JSON status the API and the staff script
// poll, and a page for browsers without script that reloads itself (the HTTP Refresh header) while
// the work runs, then shows the outcome — or, for a BCA run or publish, goes to the run's page.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { html } from 'hono/html';
import type { Ctx } from '../context';
import { page } from '../portal/layout';
import { type Env, requireRole } from './security';
import { type RequestStatus, requestStatus, statusPageUrl, statusUrl } from './staff-requests';
import { NotFound } from './table-data';

/** Seconds between reloads of the status page: a family or a BCA run takes tens of seconds. */
const REFRESH_SECONDS = 3;

const what = (s: RequestStatus) =>
  s.kind === 'compute' ? 'Computation' : s.kind === 'bca-run' ? 'Scenario run' : 'Publication';

/** Where a finished request's outcome lives in the staff area, if anywhere. */
function outcomeUrl(s: RequestStatus): string | null {
  const runId = typeof s.result?.run_id === 'string' ? s.result.run_id : null;
  if (s.status !== 'done' || !runId) return null;
  if (s.kind === 'bca-run') return `/staff/bca/runs/${runId}`;
  if (s.kind === 'bca-publish') return `/staff/bca/runs/${runId}?published=1`;
  return null;
}

export function staffRequestRoutes(app: OpenAPIHono<Env>, ctx: Ctx) {
  // Any analyst may follow any request, as with queued uploads: the id is unguessable.
  app.get('/api/v1/staff/requests/:id', requireRole('analyst'), async (c) => {
    const s = await requestStatus(ctx, c.req.param('id'));
    if (!s) return c.json({ error: 'not_found', message: 'no such request' }, 404);
    return c.json({
      ...s,
      status_url: statusUrl(s.id),
      page_url: statusPageUrl(s.id),
      outcome_url: outcomeUrl(s),
    });
  });

  app.get('/staff/requests/:id', requireRole('analyst'), async (c) => {
    const s = await requestStatus(ctx, c.req.param('id'));
    if (!s) throw new NotFound('no such request');
    const who = c.get('principal')!;
    const title = what(s);
    if (s.status === 'queued' || s.status === 'running') {
      c.header('refresh', String(REFRESH_SECONDS));
      return c.html(
        page(
          { title: `${title} running`, user: who.user },
          html`<h1>${title} running…</h1><p role="status">${s.status === 'queued' ? 'Queued for the compute function' : `Running since ${s.started_at ?? ''}`}. This page reloads every ${REFRESH_SECONDS} seconds; <a href="${statusPageUrl(s.id)}">reload now</a>.</p><p><a href="/staff">Back to the staff area</a></p>`,
        ),
      );
    }
    const to = outcomeUrl(s);
    if (to) return c.redirect(to, 303);
    const r = s.result ?? {};
    const issues = Array.isArray(r.issues)
      ? (r.issues as { severity?: string; code?: string; message?: string }[])
      : [];
    const list = issues.length
      ? html`<ul>${issues.map((i) => html`<li>${i.severity ?? ''} ${i.code ?? ''}: ${i.message ?? ''}</li>`)}</ul>`
      : '';
    if (s.status === 'failed')
      return c.html(
        page(
          { title: `${title} failed`, user: who.user },
          html`<h1>${title} failed</h1><p class="issue-error">${s.error ?? 'failed'}</p>${list}${s.kind === 'bca-run' ? html`<p>Go back to fix the scenario in the builder (your browser keeps the form), or <a href="/staff/bca">start a new one</a>.</p>` : ''}<p><a href="/staff">Back to the staff area</a></p>`,
        ),
        422,
      );
    const done =
      s.kind === 'compute'
        ? html`<p>Run <code>${String(r.run_id ?? '')}</code> is published: <a href="/measures/${String(r.family ?? '')}">see the results</a>.</p>`
        : html`<p>The scenario ran with errors, so the run was not kept.</p>${list}`;
    return c.html(
      page(
        { title: `${title} done`, user: who.user },
        html`<h1>${title} done</h1>${done}<p><a href="/staff">Back to the staff area</a></p>`,
      ),
    );
  });
}
