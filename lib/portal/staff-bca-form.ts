// The scenario builder's form model. The form posts flat field names that are the scenario's own
// paths (projects.0.alternatives.1.costs.2.amount_usd), so a zod issue's path names the field it
// belongs to. A Draft keeps what was typed (strings); scenarioFromDraft turns it into the
// lib/bca/scenario.ts shape, and ScenarioSchema does the validation — the same one the CLI uses.
// Settings the form has no field for travel in "More settings (YAML)" boxes, so a copied
// scenario round-trips without loss.
import { parse as parseYaml, stringify } from 'yaml';
import { type Scenario, ScenarioSchema } from '../bca/scenario';

export interface FieldSpec {
  /** Path inside the effect, e.g. hours_nb or counts_nb.K. */
  path: string;
  label: string;
  type: 'number' | 'int' | 'text' | 'select';
  options?: readonly string[];
  /** A select the schema requires: no empty choice. */
  required?: boolean;
}

const SEVERITIES = [
  ['K', 'fatal (K)'],
  ['A', 'serious injury (A)'],
  ['B', 'minor injury (B)'],
  ['C', 'possible injury (C)'],
  ['O', 'property damage only (O)'],
] as const;
const severity = (prefix: string, what: string): FieldSpec[] =>
  SEVERITIES.map(([k, name]) => ({ path: `${prefix}.${k}`, label: `${what}, ${name}`, type: 'number' }));

/** The benefit inputs each calculator takes (lib/bca/calculators), as form fields. */
export const EFFECT_KINDS: Record<string, { title: string; fields: FieldSpec[] }> = {
  travel_time: {
    title: 'Travel time saved',
    fields: [
      { path: 'hours', label: 'Hours are', type: 'select', options: ['person', 'vehicle'], required: true },
      { path: 'hours_nb', label: 'Annual hours of travel without the project', type: 'number' },
      { path: 'hours_b', label: 'Annual hours of travel with the project', type: 'number' },
    ],
  },
  voc: {
    title: 'Vehicle operating costs (VMT change)',
    fields: [
      { path: 'vmt_nb', label: 'Annual vehicle-miles without the project', type: 'number' },
      { path: 'vmt_b', label: 'Annual vehicle-miles with the project', type: 'number' },
    ],
  },
  safety: {
    title: 'Crash reduction',
    fields: [
      { path: 'basis', label: 'Counts are', type: 'select', options: ['crash', 'person'], required: true },
      ...severity('counts_nb', 'Annual count without the project'),
      { path: 'cmf', label: 'Crash modification factor (0.8 = 20% fewer)', type: 'number' },
    ],
  },
  operations: {
    title: 'Operations strategy',
    fields: [
      { path: 'strategy', label: 'Strategy', type: 'select' },
      {
        path: 'affected_hours_nb',
        label: 'Affected vehicle-hours a year without the project',
        type: 'number',
      },
      { path: 'impact_travel_time', label: 'Travel-time reduction (share, e.g. 0.09)', type: 'number' },
      { path: 'impact_crash', label: 'Crash reduction (share, e.g. 0.1)', type: 'number' },
      ...severity('crashes_nb', 'Affected crashes a year'),
    ],
  },
  emissions: {
    title: 'Emissions (rates in More settings)',
    fields: [
      { path: 'vmt_nb', label: 'Annual vehicle-miles without the project', type: 'number' },
      { path: 'vmt_b', label: 'Annual vehicle-miles with the project', type: 'number' },
      { path: 'speed_nb_mph', label: 'Average speed without the project (mph)', type: 'number' },
      { path: 'speed_b_mph', label: 'Average speed with the project (mph)', type: 'number' },
    ],
  },
  other: {
    title: 'Other benefit (USD a year)',
    fields: [
      { path: 'name', label: 'Name', type: 'text' },
      { path: 'amount_usd', label: 'Amount a year (USD)', type: 'number' },
      { path: 'dollar_year', label: 'Dollar year', type: 'int' },
    ],
  },
};
export const EFFECT_COMMON: FieldSpec[] = [
  { path: 'years.0', label: 'First year of benefits', type: 'int' },
  { path: 'years.1', label: 'Last year of benefits', type: 'int' },
  { path: 'growth', label: 'Annual growth (e.g. 0.01)', type: 'number' },
];

export interface DraftCost {
  type: string;
  from: string;
  to: string;
  amount_usd: string;
  dollar_year: string;
  fund: string;
  extra: string;
}
export interface DraftEffect {
  kind: string;
  fields: Record<string, string>;
  extra: string;
}
export interface DraftAlt {
  id: string;
  title: string;
  extra: string;
  costs: DraftCost[];
  effects: DraftEffect[];
}
export interface DraftProject {
  id: string;
  title: string;
  sponsor: string;
  category: string;
  committed: boolean;
  extra: string;
  alternatives: DraftAlt[];
}
export interface Draft {
  id: string;
  title: string;
  description: string;
  agency: string;
  edition: string;
  base_year: string;
  dollar_year: string;
  discount_rate: string;
  selection: string;
  extra: string;
  budgets: { year: string; fund: string; amount_usd: string }[];
  projects: DraftProject[];
}

export const SCENARIO_FIELDS = [
  'id',
  'title',
  'description',
  'agency',
  'edition',
  'base_year',
  'dollar_year',
  'discount_rate',
  'selection',
] as const;

const emptyCost = (): DraftCost => ({
  type: 'capital',
  from: '',
  to: '',
  amount_usd: '',
  dollar_year: '',
  fund: '',
  extra: '',
});
const emptyAlt = (id: string): DraftAlt => ({ id, title: '', extra: '', costs: [emptyCost()], effects: [] });
const emptyProject = (n: number): DraftProject => ({
  id: `P-${n}`,
  title: '',
  sponsor: '',
  category: '',
  committed: false,
  extra: '',
  alternatives: [emptyAlt('build')],
});

export function emptyDraft(baseYear: number): Draft {
  return {
    id: '',
    title: '',
    description: '',
    agency: '',
    edition: '',
    base_year: String(baseYear),
    dollar_year: '',
    discount_rate: '',
    selection: 'optimal',
    extra: '',
    budgets: [{ year: '', fund: '', amount_usd: '' }],
    projects: [emptyProject(1)],
  };
}

// ---- form fields → draft ---------------------------------------------------------------------

const indices = (form: Record<string, string>, prefix: string) => {
  const re = new RegExp(`^${prefix.replaceAll('.', '\\.')}\\.(\\d+)\\.`);
  const set = new Set<number>();
  for (const k of Object.keys(form)) {
    const m = re.exec(k);
    if (m) set.add(Number(m[1]));
  }
  return [...set].sort((a, b) => a - b);
};

export function draftFromForm(form: Record<string, string>): Draft {
  const v = (k: string) => (form[k] ?? '').trim();
  const raw = (k: string) => form[k] ?? '';
  return {
    id: v('id'),
    title: v('title'),
    description: v('description'),
    agency: v('agency'),
    edition: v('edition'),
    base_year: v('base_year'),
    dollar_year: v('dollar_year'),
    discount_rate: v('discount_rate'),
    selection: v('selection') || 'optimal',
    extra: raw('extra'),
    budgets: indices(form, 'budgets').map((i) => ({
      year: v(`budgets.${i}.year`),
      fund: v(`budgets.${i}.fund`),
      amount_usd: v(`budgets.${i}.amount_usd`),
    })),
    projects: indices(form, 'projects').map((i) => {
      const p = `projects.${i}`;
      return {
        id: v(`${p}.id`),
        title: v(`${p}.title`),
        sponsor: v(`${p}.sponsor`),
        category: v(`${p}.category`),
        committed: v(`${p}.committed`) !== '',
        extra: raw(`${p}.extra`),
        alternatives: indices(form, `${p}.alternatives`).map((j) => {
          const a = `${p}.alternatives.${j}`;
          return {
            id: v(`${a}.id`),
            title: v(`${a}.title`),
            extra: raw(`${a}.extra`),
            costs: indices(form, `${a}.costs`).map((k) => {
              const c = `${a}.costs.${k}`;
              return {
                type: v(`${c}.type`),
                from: v(`${c}.from`),
                to: v(`${c}.to`),
                amount_usd: v(`${c}.amount_usd`),
                dollar_year: v(`${c}.dollar_year`),
                fund: v(`${c}.fund`),
                extra: raw(`${c}.extra`),
              };
            }),
            effects: indices(form, `${a}.effects`).map((k) => {
              const e = `${a}.effects.${k}`;
              const kind = v(`${e}.kind`);
              const specs = [...EFFECT_COMMON, ...(EFFECT_KINDS[kind]?.fields ?? [])];
              return {
                kind,
                fields: Object.fromEntries(specs.map((s) => [s.path, v(`${e}.${s.path}`)])),
                extra: raw(`${e}.extra`),
              };
            }),
          };
        }),
      };
    }),
  };
}

// ---- the buttons: add and remove rows --------------------------------------------------------

/**
 * Apply an add/remove button — `add:<list>`, `remove:<list>.<i>` or `add-effect:<kind>:<list>` —
 * and return the field to focus next (the new row's first field).
 */
export function applyAction(d: Draft, action: string): string | undefined {
  const [verb, ...rest] = action.split(':');
  const effectKind = verb === 'add-effect' ? (rest[0] ?? '') : '';
  const path = (verb === 'add-effect' ? rest[1] : rest[0]) ?? '';
  const parts = path.split('.');
  const list = listAt(d, parts.slice(0, verb === 'remove' ? -1 : undefined));
  if (!list) return undefined;
  if (verb === 'remove') {
    const at = parts.at(-1) ?? '';
    if (/^\d+$/.test(at)) list.splice(Number(at), 1);
    return undefined;
  }
  const last = parts.at(-1);
  if (last === 'budgets') list.push({ year: '', fund: '', amount_usd: '' });
  else if (last === 'projects') list.push(emptyProject(list.length + 1));
  else if (last === 'alternatives') list.push(emptyAlt(`alt-${list.length + 1}`));
  else if (last === 'costs') list.push(emptyCost());
  else if (last === 'effects' && EFFECT_KINDS[effectKind])
    list.push({ kind: effectKind, fields: {}, extra: '' });
  else return undefined;
  const first =
    last === 'budgets' ? 'year' : last === 'costs' ? 'type' : last === 'effects' ? 'years.0' : 'id';
  return `${path}.${list.length - 1}.${first}`;
}

function listAt(d: Draft, parts: string[]): unknown[] | null {
  let cur: unknown = d;
  for (const p of parts) {
    if (cur === null || typeof cur !== 'object') return null;
    cur = (cur as Record<string, unknown>)[p];
  }
  return Array.isArray(cur) ? cur : null;
}

// ---- draft → scenario ------------------------------------------------------------------------

export interface FieldError {
  /** The form field (or row) the message belongs to. */
  field: string;
  message: string;
}

type Obj = Record<string, unknown>;

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

// ---- scenario → draft (start from a copy) ---------------------------------------------------

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
const yamlOf = (o: Obj) => {
  const kept = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return Object.keys(kept).length ? stringify(kept, { aliasDuplicateObjects: false }) : '';
};

function takeField(o: Obj, spec: FieldSpec): string {
  const parts = spec.path.split('.');
  const parent = parts
    .slice(0, -1)
    .reduce<unknown>((c, k) => (c && typeof c === 'object' ? (c as Obj)[k] : undefined), o);
  if (!parent || typeof parent !== 'object') return '';
  const key = parts.at(-1)!;
  const v = (parent as Obj)[key];
  const fits =
    spec.type === 'number' || spec.type === 'int'
      ? typeof v === 'number'
      : typeof v === 'string' && (!spec.options || spec.options.includes(v));
  if (!fits) return '';
  delete (parent as Obj)[key];
  return String(v);
}

function dropEmpty(o: Obj): Obj {
  for (const [k, v] of Object.entries(o)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      dropEmpty(v as Obj);
      if (Object.keys(v as Obj).length === 0) delete o[k];
    } else if (Array.isArray(v) && v.every((x) => x === undefined)) delete o[k];
  }
  return o;
}

export function draftFromScenario(sc: Scenario): Draft {
  const { budgets, projects, sensitivity, ...rest } = structuredClone(sc);
  const top: Obj = { ...rest };
  const fields = Object.fromEntries(SCENARIO_FIELDS.map((f) => [f, str(top[f])]));
  for (const f of SCENARIO_FIELDS) delete top[f];
  if (sensitivity && Object.keys(sensitivity).length) top.sensitivity = sensitivity;
  return {
    ...(fields as Pick<Draft, (typeof SCENARIO_FIELDS)[number]>),
    selection: fields.selection || 'optimal',
    extra: yamlOf(top),
    budgets: budgets.map((b) => ({ year: str(b.year), fund: b.fund, amount_usd: str(b.amount_usd) })),
    projects: projects.map((p) => {
      const { id, title, sponsor, category, committed, alternatives, costs, effects, residual, ...more } = p;
      const alts = alternatives?.length
        ? alternatives
        : [{ id: 'build', title: undefined, costs: costs ?? [], effects: effects ?? [], residual }];
      return {
        id,
        title: str(title),
        sponsor: str(sponsor),
        category: str(category),
        committed: Boolean(committed),
        extra: yamlOf(more),
        alternatives: alts.map((a) => {
          const { id: aid, title: atitle, costs: ac, effects: ae, ...amore } = a;
          return {
            id: aid,
            title: str(atitle),
            extra: yamlOf(amore),
            costs: ac.map((c) => {
              const { type, year, years, amount_usd, dollar_year, fund, ...cmore } = c;
              return {
                type,
                from: str(year ?? years?.[0]),
                to: str(years?.[1]),
                amount_usd: str(amount_usd),
                dollar_year: str(dollar_year),
                fund: str(fund),
                extra: yamlOf(amount_usd === null ? { ...cmore, amount_usd: null } : cmore),
              };
            }),
            effects: ae.map((e) => {
              const o = structuredClone(e) as Obj;
              const { kind } = e;
              delete o.kind;
              const f: Record<string, string> = {};
              for (const s of [...EFFECT_COMMON, ...(EFFECT_KINDS[kind]?.fields ?? [])])
                f[s.path] = takeField(o, s);
              return { kind, fields: f, extra: yamlOf(dropEmpty(o)) };
            }),
          };
        }),
      };
    }),
  };
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
