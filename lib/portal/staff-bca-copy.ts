// A scenario as a builder Draft ("start from a copy"): the fields the form shows are taken out,
// everything else stays in the "More settings (YAML)" boxes, so nothing is lost on the way back.
import { stringify } from 'yaml';
import type { Scenario } from '../bca/scenario';
import { type Draft, EFFECT_COMMON, EFFECT_KINDS, type FieldSpec, SCENARIO_FIELDS } from './staff-bca-form';
import type { Obj } from './staff-bca-scenario';

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
