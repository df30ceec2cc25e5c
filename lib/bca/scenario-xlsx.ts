// A scenario as an Excel workbook, for staff who keep the TIP in a spreadsheet. Sheets:
//   scenario   key | value     id, title, description, agency, edition, base_year, dollar_year,
//                              discount_rate, selection; sensitivity, risk, price_forecast as JSON
//   projects   project_id | alternative_id | title | alternative_title | sponsor | category |
//              committed | requires (comma list) | unquantified (; list) | residual (JSON)
//   costs      project_id | alternative_id | type | year | year_to | amount_usd | dollar_year |
//              yoe | sunk | fund          (year_to: the amount recurs every year to it)
//   effects    project_id | alternative_id | json   (one effect object per row, as in YAML)
//   budgets    year | fund | amount_usd
// Every row becomes the same object the YAML reader builds, then passes the same schema;
// writeScenarioXlsx is the inverse (a template, or a YAML scenario for spreadsheet users).
import ExcelJS from 'exceljs';
import type { IssueCollector } from '../ingest/issues';
import { meant } from './cells';
import { alternativesOf, type Scenario, ScenarioSchema, unknownKeyErrors } from './scenario';
import type { Locate } from './source-location';
import { cellReader, readSheets, type SheetRow } from './xlsx-sheets';

const META_KEYS = [
  'id',
  'title',
  'description',
  'agency',
  'edition',
  'base_year',
  'dollar_year',
  'discount_rate',
  'selection',
  'sensitivity',
  'risk',
  'price_forecast',
] as const;

const SHEETS = {
  scenario: { required: true, columns: ['key', 'value'], requiredColumns: ['key', 'value'] },
  projects: {
    required: true,
    columns: [
      'project_id',
      'alternative_id',
      'title',
      'alternative_title',
      'sponsor',
      'category',
      'committed',
      'requires',
      'unquantified',
      'residual',
    ],
    requiredColumns: ['project_id'],
  },
  costs: {
    required: false,
    columns: [
      'project_id',
      'alternative_id',
      'type',
      'year',
      'year_to',
      'amount_usd',
      'dollar_year',
      'yoe',
      'sunk',
      'fund',
    ],
    requiredColumns: ['project_id', 'type', 'year', 'amount_usd'],
  },
  effects: {
    required: false,
    columns: ['project_id', 'alternative_id', 'json'],
    requiredColumns: ['project_id', 'json'],
  },
  budgets: {
    required: false,
    columns: ['year', 'fund', 'amount_usd'],
    requiredColumns: ['year', 'fund', 'amount_usd'],
  },
} as const;

const list = (x: string | undefined, sep: string) =>
  x
    ?.split(sep)
    .map((s) => s.trim())
    .filter(Boolean);

type Origin = { sheet: string; line: number };

export async function readScenarioXlsx(file: string, issues: IssueCollector): Promise<Scenario | null> {
  return (await readScenarioXlsxLocated(file, issues)).scenario;
}

/** The scenario, and the sheet and row each part of it came from (for problems found later). */
export async function readScenarioXlsxLocated(
  file: string,
  issues: IssueCollector,
): Promise<{ scenario: Scenario | null; locate: Locate }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const sheets = readSheets(wb, SHEETS, file, issues);
  const cell = cellReader(file, issues);
  // where each part of the scenario came from, so a schema problem names its sheet and row
  const origins = new Map<string, Origin>();
  const at = (path: (string | number)[], r: SheetRow) =>
    origins.set(path.join('.'), { sheet: r.sheet, line: r.line });
  const json = (r: SheetRow, col: string) => {
    const text = cell.text(r, col);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text);
    } catch (e) {
      issues.error({
        code: 'bca.xlsx.json',
        file,
        line: r.line,
        column: col,
        message: `sheet ${r.sheet}, cell ${r.cells[col]!.address}: not JSON (${(e as Error).message})`,
        // Excel's autocorrect turns " into curly quotes, which JSON does not accept
        fix: /[\u201c\u201d\u2018\u2019]/.test(text)
          ? 'replace the curly quotes (“ ” ‘ ’) Excel typed with straight quotes (")'
          : 'write the object as JSON, e.g. {"kind": "other", "name": "health", ...}',
      });
      return undefined;
    }
  };

  const meta: Record<string, unknown> = {};
  for (const r of sheets.scenario!) {
    const key = (cell.text(r, 'key') ?? '').trim().toLowerCase();
    if (!key) continue;
    if (!(META_KEYS as readonly string[]).includes(key)) {
      issues.error({
        code: 'bca.xlsx.key',
        file,
        line: r.line,
        column: 'key',
        value: key,
        message: `sheet ${r.sheet}, cell ${r.cells.key!.address}: unknown key "${key}"${meant(key, META_KEYS)}`,
        fix: `keys: ${META_KEYS.join(', ')}`,
      });
      continue;
    }
    at([key], r);
    meta[key] =
      key === 'base_year' || key === 'dollar_year'
        ? cell.year(r, 'value')
        : key === 'discount_rate'
          ? cell.number(r, 'value')
          : key === 'sensitivity' || key === 'risk' || key === 'price_forecast'
            ? json(r, 'value')
            : cell.text(r, 'value');
  }

  type Alt = { id: string; title?: string; residual?: unknown; costs: unknown[]; effects: unknown[] };
  const projects = new Map<string, Record<string, unknown> & { id: string; alternatives: Alt[] }>();
  // committed, requires, sponsor, category and unquantified belong to the project, not the
  // alternative: every row of a project repeats them (or leaves them blank); a row that says
  // otherwise must not be dropped in silence. (A later row's title titles its alternative.)
  const firstGiven = new Map<string, { address: string; value: string }>();
  const projectWide = (p: Record<string, unknown> & { id: string }, r: SheetRow) => {
    const values = {
      committed: cell.bool(r, 'committed'),
      requires: list(cell.text(r, 'requires'), ','),
      sponsor: cell.text(r, 'sponsor'),
      category: cell.text(r, 'category'),
      unquantified: list(cell.text(r, 'unquantified'), ';'),
    };
    for (const [col, v] of Object.entries(values)) {
      if (v === undefined) continue;
      const key = `${p.id}\u0000${col}`;
      const first = firstGiven.get(key);
      const value = typeof v === 'boolean' ? String(v).toUpperCase() : String(v);
      if (first === undefined) {
        firstGiven.set(key, { address: r.cells[col]!.address, value });
        // committed: false is the default, so it is not written into the scenario
        p[col] = col === 'committed' ? v || undefined : v;
      } else if (first.value !== value) {
        issues.error({
          code: 'bca.xlsx.project_conflict',
          file,
          line: r.line,
          column: col,
          value,
          message: `sheet ${r.sheet}, cell ${r.cells[col]!.address}: ${col} of ${p.id} is ${value}, but cell ${first.address} gives ${first.value}; ${col} applies to the whole project (every alternative)`,
          fix: `write the same value on every row of ${p.id}, or leave the later rows blank`,
        });
      }
    }
  };
  for (const r of sheets.projects!) {
    const id = cell.text(r, 'project_id');
    if (id === undefined) {
      issues.error({
        code: 'bca.xlsx.cell',
        file,
        line: r.line,
        column: 'project_id',
        message: `sheet ${r.sheet}, row ${r.line}: project_id is blank`,
        fix: 'enter the project id (one row per project alternative)',
      });
      continue;
    }
    const p = projects.get(id) ?? {
      id,
      title: cell.text(r, 'title'),
      alternatives: [],
    };
    projectWide(p, r);
    const pi = [...projects.keys()].indexOf(id);
    const index = pi < 0 ? projects.size : pi;
    if (pi < 0) at(['projects', index], r);
    at(['projects', index, 'alternatives', p.alternatives.length], r);
    p.alternatives.push({
      id: cell.text(r, 'alternative_id') ?? 'build',
      title: cell.text(r, 'alternative_title') ?? cell.text(r, 'title'),
      residual: json(r, 'residual'),
      costs: [],
      effects: [],
    });
    projects.set(id, p);
  }
  const ids = [...projects.keys()];
  const alt = (r: SheetRow) => {
    const pid = cell.text(r, 'project_id');
    const aid = cell.text(r, 'alternative_id') ?? 'build';
    const p = pid === undefined ? undefined : projects.get(pid);
    const ai = p ? p.alternatives.findIndex((x) => x.id === aid) : -1;
    if (!p || ai < 0) {
      issues.error({
        code: 'bca.xlsx.ref',
        file,
        line: r.line,
        column: 'project_id',
        message: `sheet ${r.sheet}, row ${r.line}: ${pid ?? '(blank)'}/${aid} is not on the projects sheet${
          pid
            ? meant(
                pid.toLowerCase(),
                ids.map((i) => i.toLowerCase()),
              )
            : ''
        }`,
        fix: 'add the project (and alternative) to the projects sheet, or correct the id',
      });
      return undefined;
    }
    return { a: p.alternatives[ai]!, path: ['projects', ids.indexOf(pid!), 'alternatives', ai] };
  };
  for (const r of sheets.costs!) {
    const to = cell.year(r, 'year_to');
    const year = cell.year(r, 'year');
    const cost = {
      type: cell.text(r, 'type'),
      ...(to === undefined ? { year } : { years: [year, to] }),
      amount_usd: r.cells.amount_usd ? (cell.amount(r, 'amount_usd') ?? Number.NaN) : null,
      dollar_year: cell.year(r, 'dollar_year'),
      yoe: cell.bool(r, 'yoe'),
      sunk: cell.bool(r, 'sunk'),
      fund: cell.text(r, 'fund'),
    };
    const target = alt(r);
    if (!target) continue;
    at([...target.path, 'costs', target.a.costs.length], r);
    target.a.costs.push(cost);
  }
  for (const r of sheets.effects!) {
    const e = json(r, 'json');
    const target = alt(r);
    if (!e || !target) continue;
    at([...target.path, 'effects', target.a.effects.length], r);
    target.a.effects.push(e);
  }
  const budgets = sheets.budgets!.map((r, i) => {
    at(['budgets', i], r);
    return {
      year: cell.year(r, 'year'),
      fund: cell.text(r, 'fund'),
      amount_usd: cell.amount(r, 'amount_usd'),
    };
  });
  const raw = { ...meta, budgets, projects: [...projects.values()] };

  // schema problems and unknown keys (inside the JSON cells) point at the row they came from
  const where = (path: PropertyKey[]) => {
    for (let n = path.length; n >= 0; n--) {
      const o = origins.get(path.slice(0, n).join('.'));
      if (o) return o;
    }
    return undefined;
  };
  const report = (path: PropertyKey[], code: string, message: string, fix?: string) => {
    const o = where(path);
    issues.error({
      code,
      file,
      line: o?.line,
      column: path.join('.'),
      message: o ? `sheet ${o.sheet}, row ${o.line}: ${message}` : message,
      fix,
    });
  };
  const locate: Locate = (path) => {
    const o = where(path);
    return o && { line: o.line, sheet: o.sheet };
  };
  for (const u of unknownKeyErrors(raw)) report(u.at, u.code!, u.message, u.fix);
  if (issues.hasErrors) return { scenario: null, locate };
  const r = ScenarioSchema.safeParse(raw);
  if (!r.success) {
    for (const i of r.error.issues)
      report(
        i.path,
        'bca.scenario.schema',
        `${i.path.join('.')}: ${i.message}`,
        'correct the cell; see lib/bca/README.md',
      );
    return { scenario: null, locate };
  }
  return { scenario: r.data, locate };
}

export async function writeScenarioXlsx(sc: Scenario, path: string) {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Corridor';
  const add = (name: string, columns: string[], rows: Record<string, unknown>[]) => {
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = columns.map((c) => ({
      header: c,
      key: c,
      width: c === 'json' || c === 'value' ? 90 : Math.max(12, c.length + 2),
    }));
    ws.getRow(1).font = { bold: true };
    for (const r of rows) ws.addRow(r);
  };
  const meta: [string, unknown][] = [
    ['id', sc.id],
    ['title', sc.title],
    ['description', sc.description],
    ['agency', sc.agency],
    ['edition', sc.edition],
    ['base_year', sc.base_year],
    ['dollar_year', sc.dollar_year],
    ['discount_rate', sc.discount_rate],
    ['selection', sc.selection],
    ['sensitivity', JSON.stringify(sc.sensitivity)],
    ['risk', sc.risk ? JSON.stringify(sc.risk) : undefined],
    ['price_forecast', sc.price_forecast ? JSON.stringify(sc.price_forecast) : undefined],
  ];
  add(
    'scenario',
    [...SHEETS.scenario.columns],
    meta.filter(([, v]) => v !== undefined).map(([key, value]) => ({ key, value })),
  );
  const projects: Record<string, unknown>[] = [];
  const costs: Record<string, unknown>[] = [];
  const effects: Record<string, unknown>[] = [];
  for (const p of sc.projects) {
    for (const a of alternativesOf(p)) {
      projects.push({
        project_id: p.id,
        alternative_id: a.id,
        title: p.title,
        alternative_title: a.title,
        sponsor: p.sponsor,
        category: p.category,
        committed: p.committed ?? false,
        requires: p.requires?.join(','),
        unquantified: p.unquantified?.join('; '),
        residual: a.residual ? JSON.stringify(a.residual) : undefined,
      });
      for (const c of a.costs) {
        costs.push({
          project_id: p.id,
          alternative_id: a.id,
          type: c.type,
          year: c.year ?? c.years![0],
          year_to: c.years?.[1],
          amount_usd: c.amount_usd,
          dollar_year: c.dollar_year,
          yoe: c.yoe,
          sunk: c.sunk,
          fund: c.fund,
        });
      }
      for (const e of a.effects)
        effects.push({ project_id: p.id, alternative_id: a.id, json: JSON.stringify(e) });
    }
  }
  // the writer lays out exactly the columns the reader expects
  add('projects', [...SHEETS.projects.columns], projects);
  add('costs', [...SHEETS.costs.columns], costs);
  add('effects', [...SHEETS.effects.columns], effects);
  add(
    'budgets',
    [...SHEETS.budgets.columns],
    sc.budgets.map((b) => ({ ...b })),
  );
  await wb.xlsx.writeFile(path);
}
