// A builder Draft as a scenario (lib/bca/scenario.ts), checked by ScenarioSchema — the same
// schema the CLI uses — with every problem tied to the form field it comes from; and the scenario
// as the YAML file `corridor bca run` reads.
import { parse as parseYaml, stringify } from 'yaml';
import { type Scenario, ScenarioSchema } from '../bca/scenario';
import { type Draft, EFFECT_COMMON, EFFECT_KINDS } from './staff-bca-form';

export interface FieldError {
  /** The form field (or row) the message belongs to. */
  field: string;
  message: string;
}

export type Obj = Record<string, unknown>;

function deepMerge(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b)
        ? deepMerge(b as Obj, v as Obj)
        : v;
  }
  return out;
}

function setPath(o: Obj, path: string, value: unknown) {
  const parts = path.split('.');
  let cur: Obj = o;
  for (const [i, p] of parts.entries()) {
    if (i === parts.length - 1) cur[p] = value;
    else {
      const nextIsIndex = /^\d+$/.test(parts[i + 1]!);
      cur[p] ??= nextIsIndex ? [] : {};
      cur = cur[p] as Obj;
    }
  }
}

/** The scenario the draft describes, with conversion problems (bad numbers, bad YAML) by field. */
export function scenarioFromDraft(d: Draft): { raw: Obj; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const num = (field: string, s: string, int = false): number | string | undefined => {
    if (s === '') return undefined;
    const n = Number(s.replace(/^\$/, '').replaceAll(',', '').replaceAll('_', ''));
    if (!Number.isFinite(n)) {
      errors.push({ field, message: `must be ${int ? 'a whole number' : 'a number'}` });
      return s;
    }
    return n;
  };
  const extra = (field: string, text: string): Obj => {
    if (!text.trim()) return {};
    try {
      const v = parseYaml(text) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Obj;
      errors.push({ field, message: 'must be YAML settings (key: value lines)' });
    } catch (e) {
      errors.push({ field, message: `is not valid YAML: ${(e as Error).message.split('\n')[0]}` });
    }
    return {};
  };
  const pick = (o: Obj) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== ''));

  const scenario: Obj = deepMerge(
    extra('extra', d.extra),
    pick({
      id: d.id,
      title: d.title,
      description: d.description,
      agency: d.agency,
      edition: d.edition,
      base_year: num('base_year', d.base_year, true),
      dollar_year: num('dollar_year', d.dollar_year, true),
      discount_rate: num('discount_rate', d.discount_rate),
      selection: d.selection,
    }),
  );
  if (d.base_year === '') scenario.base_year = undefined;
  scenario.budgets = d.budgets
    .map((b, i) =>
      b.year || b.fund || b.amount_usd
        ? {
            year: num(`budgets.${i}.year`, b.year, true),
            fund: b.fund || undefined,
            amount_usd: num(`budgets.${i}.amount_usd`, b.amount_usd),
          }
        : null,
    )
    .filter(Boolean);
  scenario.projects = d.projects.map((p, i) => {
    const pp = `projects.${i}`;
    return deepMerge(
      extra(`${pp}.extra`, p.extra),
      pick({
        id: p.id,
        title: p.title,
        sponsor: p.sponsor,
        category: p.category,
        committed: p.committed || undefined,
        alternatives: p.alternatives.map((a, j) => {
          const ap = `${pp}.alternatives.${j}`;
          return deepMerge(
            extra(`${ap}.extra`, a.extra),
            pick({
              id: a.id,
              title: a.title,
              costs: a.costs
                .map((c, k) => {
                  const cp = `${ap}.costs.${k}`;
                  if (!(c.from || c.to || c.amount_usd || c.fund || c.dollar_year || c.extra.trim()))
                    return null;
                  const from = num(`${cp}.from`, c.from, true);
                  const to = num(`${cp}.to`, c.to, true);
                  const when = to !== undefined && to !== from ? { years: [from, to] } : { year: from };
                  return deepMerge(
                    extra(`${cp}.extra`, c.extra),
                    pick({
                      type: c.type,
                      ...when,
                      amount_usd: num(`${cp}.amount_usd`, c.amount_usd),
                      dollar_year: num(`${cp}.dollar_year`, c.dollar_year, true),
                      fund: c.fund,
                    }),
                  );
                })
                .filter(Boolean),
              effects: a.effects.map((e, k) => {
                const ep = `${ap}.effects.${k}`;
                const out: Obj = { kind: e.kind };
                for (const s of [...EFFECT_COMMON, ...(EFFECT_KINDS[e.kind]?.fields ?? [])]) {
                  const val = e.fields[s.path] ?? '';
                  if (val === '') continue;
                  setPath(
                    out,
                    s.path,
                    s.type === 'number' || s.type === 'int'
                      ? num(`${ep}.${s.path}`, val, s.type === 'int')
                      : val,
                  );
                }
                return deepMerge(extra(`${ep}.extra`, e.extra), out);
              }),
            }),
          );
        }),
      }),
    );
  });
  return { raw: scenario, errors };
}

const get = (o: unknown, path: (string | number | symbol)[]) =>
  path.reduce<unknown>(
    (cur, k) => (cur && typeof cur === 'object' ? (cur as Obj)[k as string] : undefined),
    o,
  );

/** Validate with the scenario schema; every message is tied to a form field. */
export function validateDraft(d: Draft): { scenario: Scenario | null; errors: FieldError[] } {
  const { raw, errors } = scenarioFromDraft(d);
  const r = ScenarioSchema.safeParse(raw);
  const taken = new Set(errors.map((e) => e.field));
  if (!r.success) {
    for (const i of r.error.issues) {
      const field = fieldOf(i.path.map(String));
      if (taken.has(field)) continue; // already said "must be a number"
      taken.add(field);
      const given = get(raw, i.path);
      const message =
        given === undefined
          ? 'is required'
          : i.code === 'invalid_type' && (i as { expected?: string }).expected === 'int'
            ? 'must be a whole number'
            : i.message;
      errors.push({ field, message });
    }
  }
  return { scenario: r.success && errors.length === 0 ? r.data : null, errors };
}

/** A scenario path as the form field that holds it (cost years are from/to in the form). */
export function fieldOf(path: string[]): string {
  const s = path.join('.');
  const cost = /^(projects\.\d+\.alternatives\.\d+\.costs\.\d+)(?:\.(.+))?$/.exec(s);
  if (cost) {
    const rest = cost[2];
    if (rest === undefined || rest === 'year' || rest === 'years' || rest === 'years.0')
      return `${cost[1]}.from`;
    if (rest === 'years.1') return `${cost[1]}.to`;
  }
  return s;
}

/** The scenario file the CLI reads (`corridor bca run <file>.yaml`). Plain projects stay plain. */
export function scenarioYaml(sc: Scenario): string {
  const projects = sc.projects.map((p) => {
    const only = p.alternatives?.length === 1 ? p.alternatives[0]! : null;
    if (only?.id !== 'build' || only.title || only.notes) return p;
    const { alternatives: _, ...rest } = p;
    return {
      ...rest,
      costs: only.costs,
      effects: only.effects,
      ...(only.residual ? { residual: only.residual } : {}),
    };
  });
  const out: Obj = { ...sc, projects };
  if (sc.sensitivity && Object.keys(sc.sensitivity).length === 0) delete out.sensitivity;
  return `# Scenario built in the Corridor staff area; run it with: corridor bca run <this file>\n${stringify(out, { aliasDuplicateObjects: false })}`;
}
