// The MPO's targets (23 CFR 490.105(e)-(f): 2-year and 4-year targets per performance period)
// live in the store as one JSON document that staff edit; each change is audit-logged.
import { z } from 'zod';
import { getJson, putJson, type Storage } from '../storage';

export const Target = z.object({
  measure_id: z.string().regex(/^[a-z0-9_]+$/),
  performance_period: z
    .string()
    .regex(/^\d{4}-\d{4}$/)
    .describe('e.g. 2022-2025'),
  baseline_year: z.number().int().min(2000).max(2100).nullable().default(null),
  baseline: z.number().nullable().default(null),
  target_2yr: z.number().nullable().default(null),
  target_4yr: z.number().nullable().default(null),
  note: z.string().max(500).optional(),
});
export type Target = z.infer<typeof Target>;

export const TargetsDoc = z.object({
  updated_at: z.string(),
  updated_by: z.string(),
  targets: z.array(Target).max(200),
});
export type TargetsDoc = z.infer<typeof TargetsDoc>;

const KEY = 'compliance/targets.json';

export async function getTargets(storage: Storage): Promise<TargetsDoc> {
  const got = await getJson<unknown>(storage, KEY);
  const parsed = got ? TargetsDoc.safeParse(got.value) : null;
  return parsed?.success ? parsed.data : { updated_at: '', updated_by: '', targets: [] };
}

export async function putTargets(storage: Storage, targets: Target[], user: string, now = new Date()) {
  const doc: TargetsDoc = { updated_at: now.toISOString(), updated_by: user, targets };
  await putJson(storage, KEY, doc);
  return doc;
}
