// The compute function's side of queued staff work (staff-requests.ts): read the request record a
// trigger names, run it with the same code a local request runs (so the answer and the audit
// entries are the same), and record running → done | failed with that answer.
import type { Ctx } from '../context';
import { publishAudited, runAnswer, runStaffFile } from './staff-bca-run';
import { runComputeAudited } from './staff-compute-run';
import {
  getRequest,
  parseRequestKey,
  type RequestStatus,
  type StaffRequest,
  storedStatus,
  writeRequestStatus,
} from './staff-requests';

type Answer = { code: number; body: Record<string, unknown> };

async function perform(ctx: Ctx, rec: StaffRequest): Promise<Answer> {
  const who = { user: rec.user, role: rec.role };
  if (rec.kind === 'compute') {
    const p = rec.payload as StaffRequest<'compute'>['payload'];
    return runComputeAudited(ctx, who, { family: p.family, year: p.year ?? undefined });
  }
  if (rec.kind === 'bca-run') {
    const p = rec.payload as StaffRequest<'bca-run'>['payload'];
    const out = await runStaffFile(ctx, who, {
      name: p.file_name,
      bytes: Buffer.from(p.content_base64, 'base64'),
      source: p.source,
      edition: p.edition ?? undefined,
      discountRate: p.discount_rate ?? undefined,
    });
    return runAnswer(out);
  }
  const p = rec.payload as StaffRequest<'bca-publish'>['payload'];
  const r = await publishAudited(ctx, p.run_id, who);
  if (!r) return { code: 404, body: { error: 'not_found', message: `no scenario run ${p.run_id}` } };
  return { code: 200, body: { run_id: r.run_id, published: r.published, page: `/bca/${r.run_id}` } };
}

/** Run the request stored at `key`; a key that names none, or a finished one, is skipped. */
export async function runQueuedRequest(ctx: Ctx, key: string): Promise<RequestStatus | { skipped: string }> {
  const ref = parseRequestKey(key);
  if (!ref) return { skipped: `${key} is not a requests/<kind>/<id>.json record` };
  const rec = await getRequest(ctx, ref.kind, ref.id);
  if (!rec) return { skipped: `no request record at ${key}` };
  // A repeated delivery of the same event must not run finished work twice (a second publish is
  // harmless, a second computation is not).
  const before = await storedStatus(ctx, ref.id);
  if (before?.status === 'done' || before?.status === 'failed')
    return { skipped: `already ${before.status}` };
  const base: RequestStatus = {
    id: rec.id,
    kind: rec.kind,
    user: rec.user,
    status: 'running',
    requested_at: rec.requested_at,
    started_at: ctx.clock().toISOString(),
    finished_at: null,
    result: null,
    error: null,
  };
  await writeRequestStatus(ctx, base);
  let a: Answer;
  try {
    a = await perform(ctx, rec);
  } catch (e) {
    // The run's own failures are answers (and audited there); this is storage or a bug.
    ctx.log.error(`request ${rec.id}: ${e instanceof Error ? e.stack : String(e)}`);
    const message = e instanceof Error ? e.message.split('\n')[0]!.slice(0, 300) : 'failed';
    a = { code: 500, body: { error: 'request_failed', message } };
  }
  const ok = a.code === 200;
  const done: RequestStatus = {
    ...base,
    status: ok ? 'done' : 'failed',
    finished_at: ctx.clock().toISOString(),
    result: a.body,
    error: ok ? null : String(a.body.message ?? a.body.error ?? 'failed'),
  };
  await writeRequestStatus(ctx, done);
  return done;
}
