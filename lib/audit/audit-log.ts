// Every staff action leaves one immutable record: who, what, when, on which dataset versions and
// with what outcome. One object per event (created with If-None-Match, never rewritten) under
// audit/<date>/, so concurrent writers never lose an entry and S3 needs no locking.
import { randomBytes } from 'node:crypto';
import { getJson, putJson, type Storage } from '../storage';

export interface AuditEvent {
  at: string;
  user: string;
  role: string;
  /** What was done: sign_in, sign_in_failed, upload, compute, export, … */
  action: string;
  /** The thing acted on: a dataset id, a family, an export name. */
  target?: string;
  outcome: 'ok' | 'refused' | 'failed';
  /** Dataset versions read or written, as id@version. */
  versions?: string[];
  detail?: Record<string, unknown>;
  ip?: string;
}

export async function audit(storage: Storage, event: Omit<AuditEvent, 'at'>, now = new Date()) {
  const at = now.toISOString();
  const key = `audit/${at.slice(0, 10)}/${at.replace(/[:.]/g, '')}-${randomBytes(4).toString('hex')}.json`;
  await putJson(storage, key, { at, ...event }, { ifNoneMatch: '*' });
  return key;
}

/** The most recent events, newest first, looking back `days` days. */
export async function recentAudit(storage: Storage, limit = 100, days = 31, now = new Date()) {
  const out: AuditEvent[] = [];
  for (let d = 0; d < days && out.length < limit; d++) {
    const day = new Date(now.getTime() - d * 86_400_000).toISOString().slice(0, 10);
    const { objects } = await storage.list(`audit/${day}/`);
    const keys = objects
      .map((o) => o.key)
      .sort()
      .reverse();
    for (const k of keys.slice(0, limit - out.length)) {
      const e = await getJson<AuditEvent>(storage, k);
      if (e) out.push(e.value);
    }
  }
  return out;
}
