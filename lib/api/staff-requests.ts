// Staff work that cannot run inside an API request on AWS (config.onLambda): a computation, a BCA
// run, a BCA publish. API Gateway cuts a request at 29 s and the API function may not write
// results/ or staff/bca/ (cdk/stacks/api-stack.ts), so the API stores a small request record under
// requests/<kind>/<id>.json — the prefix whose Object Created events start the compute function
// (cdk/stacks/pipeline-stack.ts) — and answers 202 with a status URL. The compute function runs
// the same code as a local request (staff-requests-run.ts) and records the outcome under
// requests-status/<id>.json, outside the trigger prefix, so its own writes start nothing and the
// API, which may only write requests/, cannot forge an outcome.
import { randomBytes } from 'node:crypto';
import { audit } from '../audit/audit-log';
import type { Principal } from '../auth/principal';
import type { Ctx } from '../context';
import { getJson, putJson } from '../storage';

export const REQUEST_PREFIX = 'requests/';
export const REQUEST_STATUS_PREFIX = 'requests-status/';

export const REQUEST_KINDS = ['compute', 'bca-run', 'bca-publish'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** What each kind carries: exactly what the local route would have run with. */
export interface RequestPayloads {
  compute: { family: string; year: number | null };
  /** The scenario or ledger file as uploaded (base64: XLSX is binary), with the run options. */
  'bca-run': {
    file_name: string;
    source: string;
    content_base64: string;
    edition: string | null;
    discount_rate: number | null;
  };
  'bca-publish': { run_id: string };
}

export interface StaffRequest<K extends RequestKind = RequestKind> {
  id: string;
  kind: K;
  user: string;
  role: Principal['role'];
  requested_at: string;
  payload: RequestPayloads[K];
}

export interface RequestStatus {
  id: string;
  kind: RequestKind;
  user: string;
  /** 'queued' until the compute function picks the request up (never stored). */
  status: 'queued' | 'running' | 'done' | 'failed';
  requested_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** The body the local route answers with (success or refusal), once finished. */
  result: Record<string, unknown> | null;
  error: string | null;
}

export interface QueuedRequest {
  id: string;
  kind: RequestKind;
  status: 'queued';
  status_url: string;
  page_url: string;
}

// <kind>.<UTC time>-<random>: sortable, names its record's key, and guessing another is useless
// (any analyst may follow any request, as with uploads).
const ID = /^(compute|bca-run|bca-publish)\.(\d{8}T\d{6}Z-[0-9a-f]{16})$/;

export const requestKey = (kind: RequestKind, id: string) => `${REQUEST_PREFIX}${kind}/${id}.json`;
export const requestStatusKey = (id: string) => `${REQUEST_STATUS_PREFIX}${id}.json`;
export const statusUrl = (id: string) => `/api/v1/staff/requests/${id}`;
export const statusPageUrl = (id: string) => `/staff/requests/${id}`;

export function requestKind(id: string): RequestKind | null {
  return (ID.exec(id)?.[1] as RequestKind | undefined) ?? null;
}

/** The request a trigger key names, or null for any other key under the prefix. */
export function parseRequestKey(key: string): { kind: RequestKind; id: string } | null {
  const m = /^requests\/([a-z-]+)\/([^/]+)\.json$/.exec(key);
  if (!m) return null;
  const kind = requestKind(m[2]!);
  return kind && kind === m[1] ? { kind, id: m[2]! } : null;
}

export async function queueRequest<K extends RequestKind>(
  ctx: Ctx,
  who: Principal,
  kind: K,
  payload: RequestPayloads[K],
): Promise<QueuedRequest> {
  const now = ctx.clock();
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const id = `${kind}.${stamp}-${randomBytes(8).toString('hex')}`;
  const rec: StaffRequest<K> = {
    id,
    kind,
    user: who.user,
    role: who.role,
    requested_at: now.toISOString(),
    payload,
  };
  // Create-only: one record per id, so the trigger fires once per request.
  await putJson(ctx.storage, requestKey(kind, id), rec, { ifNoneMatch: '*' });
  // Queued is itself a staff action: if the compute function never runs it, the log still shows
  // who asked for what (the function adds the outcome entry when it runs).
  await audit(ctx.storage, {
    user: who.user,
    role: who.role,
    action: 'request_queued',
    target: kind,
    outcome: 'ok',
    detail: { request_id: id },
  });
  return { id, kind, status: 'queued', status_url: statusUrl(id), page_url: statusPageUrl(id) };
}

export async function getRequest(ctx: Ctx, kind: RequestKind, id: string) {
  return (await getJson<StaffRequest>(ctx.storage, requestKey(kind, id)))?.value ?? null;
}

/** The outcome the compute function stored, as stored (null before it picked the request up). */
export async function storedStatus(ctx: Ctx, id: string) {
  return (await getJson<RequestStatus>(ctx.storage, requestStatusKey(id)))?.value ?? null;
}

// A run that dies (the function's 15-minute limit, cdk/constructs/corridor-function-defaults.ts, or
// a crash) never records its end, and an event EventBridge gave up on (maxEventAge 1 h,
// cdk/stacks/pipeline-stack.ts) never starts one: past these ages staff are told it failed rather
// than watching a page that reloads forever. A later retry still records its own outcome.
const RUNNING_LIMIT_MS = 16 * 60_000;
const QUEUED_LIMIT_MS = 75 * 60_000;

function overdue(s: RequestStatus, now: Date): RequestStatus {
  const since = Date.parse((s.status === 'running' ? s.started_at : s.requested_at) ?? '');
  const limit = s.status === 'running' ? RUNNING_LIMIT_MS : s.status === 'queued' ? QUEUED_LIMIT_MS : null;
  if (limit === null || !(now.getTime() - since > limit)) return s;
  const error =
    s.status === 'running'
      ? 'the compute function stopped before finishing (its 15-minute limit, or a crash): see its log'
      : 'the compute function never picked the request up: see the pipeline’s event rule and the function’s log';
  return { ...s, status: 'failed', error };
}

/** Where a request stands; null for an id that names none. */
export async function requestStatus(ctx: Ctx, id: string): Promise<RequestStatus | null> {
  const kind = requestKind(id);
  if (!kind) return null;
  const got = await storedStatus(ctx, id);
  if (got) return overdue(got, ctx.clock());
  const rec = await getRequest(ctx, kind, id);
  if (!rec) return null;
  return overdue(
    {
      id,
      kind,
      user: rec.user,
      status: 'queued',
      requested_at: rec.requested_at,
      started_at: null,
      finished_at: null,
      result: null,
      error: null,
    },
    ctx.clock(),
  );
}

export function writeRequestStatus(ctx: Ctx, s: RequestStatus) {
  return putJson(ctx.storage, requestStatusKey(s.id), s);
}
