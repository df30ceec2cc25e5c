// One staff BCA run, whichever way the scenario arrived (an uploaded file or the in-browser
// builder): run lib/bca/run.ts without publishing, keep the outputs as a staff run (not public
// until someone publishes it, staff-bca-store.ts) and audit-log the outcome.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { audit } from '../audit/audit-log';
import type { Principal } from '../auth/principal';
import type { Ctx } from '../context';
import type { Issue } from '../ingest/issues';
import { staffFileUrl } from '../portal/staff-bca-runs-page';
import { getRun, publishRun, type StaffBcaRun, saveRun } from './staff-bca-store';

export type StaffRunOutcome =
  | { status: 'refused'; issues: Issue[] }
  | { status: 'failed'; message: string }
  | {
      status: 'ok';
      scenario_id: string;
      title: string;
      npv_usd: number | null;
      bcr: number | null;
      /** Null when the run has errors: it is shown but not kept. */
      record: StaffBcaRun | null;
      issues: Issue[];
    };

export interface StaffRunInput {
  /** The scenario or ledger file, inside a scratch folder the caller removes afterwards. */
  path: string;
  /** Where it came from, for the record and the audit log: an upload's file name or "builder". */
  source: string;
  edition?: string;
  discountRate?: number;
}

export async function runStaffScenario(
  ctx: Ctx,
  who: Pick<Principal, 'user' | 'role'>,
  o: StaffRunInput,
): Promise<StaffRunOutcome> {
  const log = (target: string, outcome: 'ok' | 'refused' | 'failed', detail: Record<string, unknown>) =>
    audit(ctx.storage, { user: who.user, role: who.role, action: 'bca_run', target, outcome, detail });
  try {
    // Loaded on first use, as before: the analysis (reports, solver) is heavy for a cold start.
    const { runBca, summaryOf } = await import('../bca/run');
    const r = await runBca(ctx, o.path, {
      out: join(dirname(o.path), 'out'),
      edition: o.edition,
      discountRate: o.discountRate,
      publish: false,
    });
    const issues = r.issues.issues;
    const errors = issues.filter((i) => i.severity === 'error').length;
    if (!r.run) {
      await log(o.source, 'refused', { errors });
      return { status: 'refused', issues };
    }
    const run = r.run;
    let record: StaffBcaRun | null = null;
    if (errors === 0) {
      // The input is kept under a fixed name so it cannot collide with an output (ledger.csv).
      const ext = extname(o.path).toLowerCase();
      const kept = join(dirname(o.path), ext === '.csv' ? 'input-ledger.csv' : `scenario${ext}`);
      await copyFile(o.path, kept);
      record = await saveRun(
        ctx,
        {
          run_id: run.lineage.run_id,
          scenario_id: run.scenario.id,
          title: run.scenario.title,
          created_at: run.created_at,
          user: who.user,
          role: who.role,
          source: o.source,
          edition: run.settings.edition.id,
          base_year: run.settings.baseYear,
          discount_rate: run.settings.discountRate,
          npv_usd: run.total.npv_usd ?? null,
          bcr: run.total.bcr ?? null,
          input_file: basename(kept),
          summary: summaryOf(run),
          lineage: run.lineage,
          issues,
          published: null,
        },
        [...r.files, kept],
      );
    }
    await log(run.scenario.id, errors ? 'refused' : 'ok', {
      file: o.source,
      run_id: record?.run_id ?? null,
      edition: run.settings.edition.id,
      errors,
    });
    return {
      status: 'ok',
      scenario_id: run.scenario.id,
      title: run.scenario.title,
      npv_usd: run.total.npv_usd ?? null,
      bcr: run.total.bcr ?? null,
      record,
      issues,
    };
  } catch (e) {
    ctx.log.error(`bca: ${e instanceof Error ? e.stack : String(e)}`);
    const message = e instanceof Error ? e.message.split('\n')[0]!.slice(0, 300) : 'failed';
    await log(o.source, 'failed', { error: message });
    return { status: 'failed', message };
  }
}

/** A scenario or ledger as received (upload, JSON or builder), run in a scratch folder of its own. */
export function runStaffFile(
  ctx: Ctx,
  who: Pick<Principal, 'user' | 'role'>,
  f: { name: string; bytes: Uint8Array | string; source: string; edition?: string; discountRate?: number },
): Promise<StaffRunOutcome> {
  return inScratch(ctx, async (dir) => {
    const path = join(dir, f.name);
    await writeFile(path, f.bytes);
    return runStaffScenario(ctx, who, {
      path,
      source: f.source,
      edition: f.edition,
      discountRate: f.discountRate,
    });
  });
}

/** The answer of a run request (the shape documented as BcaRun in staff-docs.ts), as status and body. */
export function runAnswer(r: StaffRunOutcome): { code: 200 | 422; body: Record<string, unknown> } {
  if (r.status === 'refused')
    return {
      code: 422,
      body: {
        error: 'scenario_refused',
        message: 'the scenario has errors; nothing was run',
        issues: r.issues,
      },
    };
  if (r.status === 'failed') return { code: 422, body: { error: 'bca_failed', message: r.message } };
  return {
    code: 200,
    body: {
      scenario_id: r.scenario_id,
      title: r.title,
      npv_usd: r.npv_usd,
      bcr: r.bcr,
      // Runs from the staff area are public only after POST …/runs/<run_id>/publish.
      published: false,
      run_id: r.record?.run_id ?? null,
      files: (r.record?.files ?? []).map((name) => ({ name, url: staffFileUrl(r.record!.run_id, name) })),
      issues: r.issues,
    },
  };
}

/** A scratch folder for one run, removed afterwards whatever happens. */
export async function inScratch<T>(ctx: Ctx, f: (dir: string) => Promise<T>): Promise<T> {
  await mkdir(ctx.config.scratchDir, { recursive: true });
  const dir = await mkdtemp(join(ctx.config.scratchDir, 'bca-'));
  try {
    return await f(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Publish a run and leave the audit entry (also used by the page's publish button). */
export async function publishAudited(ctx: Ctx, id: string, p: { user: string; role: string }) {
  const before = await getRun(ctx, id);
  if (!before) return null;
  try {
    const r = await publishRun(ctx, id, p.user);
    await audit(ctx.storage, {
      user: p.user,
      role: p.role,
      action: 'bca_publish',
      target: id,
      outcome: 'ok',
      detail: { scenario_id: before.scenario_id, already: Boolean(before.published) },
    });
    return r;
  } catch (e) {
    await audit(ctx.storage, {
      user: p.user,
      role: p.role,
      action: 'bca_publish',
      target: id,
      outcome: 'failed',
      detail: { error: (e as Error).message.slice(0, 300) },
    });
    throw e;
  }
}
