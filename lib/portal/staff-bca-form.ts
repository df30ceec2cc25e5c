// The scenario builder's form model. The form posts flat field names that are the scenario's own
// paths (projects.0.alternatives.1.costs.2.amount_usd), so a zod issue's path names the field it
// belongs to. A Draft keeps what was typed (strings); staff-bca-scenario.ts turns it into the
// lib/bca/scenario.ts shape and validates it, staff-bca-copy.ts makes one from a scenario.
// Settings the form has no field for travel in "More settings (YAML)" boxes, so a copied
// scenario round-trips without loss.

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
/** Vehicle-miles with and without: the VOC and emissions benefits both start from them. */
const VMT: FieldSpec[] = [
  { path: 'vmt_nb', label: 'Annual vehicle-miles without the project', type: 'number' },
  { path: 'vmt_b', label: 'Annual vehicle-miles with the project', type: 'number' },
];

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
    fields: [...VMT],
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
      // Blank factors take the library's defaults; what each default applies to (and so what the
      // affected hours must be) is listed with its source at /bca/parameters.
      { path: 'impact_travel_time', label: 'Travel-time reduction (share, e.g. 0.09)', type: 'number' },
      {
        path: 'impact_incident_duration',
        label: 'Incident duration reduction (share; incident management only)',
        type: 'number',
      },
      { path: 'impact_crash', label: 'Crash reduction (share, e.g. 0.1)', type: 'number' },
      { path: 'impact_source', label: 'Source of the reductions given here', type: 'text' },
      ...severity('crashes_nb', 'Affected crashes a year'),
    ],
  },
  emissions: {
    title: 'Emissions (rates in More settings)',
    fields: [
      ...VMT,
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
