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
import { alternativesOf, type Scenario, ScenarioSchema } from './scenario';

function sheetRows(ws: ExcelJS.Worksheet | undefined): { line: number; v: Record<string, unknown> }[] {
  if (!ws) return [];
  const header: string[] = [];
  ws.getRow(1).eachCell((c, i) => {
    header[i] = String(c.value ?? '')
      .trim()
      .toLowerCase();
  });
  const out: { line: number; v: Record<string, unknown> }[] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const v: Record<string, unknown> = {};
    row.eachCell((c, i) => {
      const h = header[i];
      if (!h) return;
      v[h] = c.value && typeof c.value === 'object' && 'result' in c.value ? c.value.result : c.value;
    });
    if (Object.keys(v).length) out.push({ line: n, v });
  });
  return out;
}

const str = (x: unknown) => (x === null || x === undefined || x === '' ? undefined : String(x));
const numOrNull = (x: unknown) => (x === null || x === undefined || x === '' ? null : Number(x));
const numOrUndef = (x: unknown) => (x === null || x === undefined || x === '' ? undefined : Number(x));
const bool = (x: unknown) => (x === true || x === 'true' || x === 'TRUE' || x === 1 ? true : undefined);
const list = (x: unknown, sep: string) =>
  str(x)
    ?.split(sep)
    .map((s) => s.trim())
    .filter(Boolean);

export async function readScenarioXlsx(file: string, issues: IssueCollector): Promise<Scenario | null> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const json = (x: unknown, where: string, line?: number) => {
    if (str(x) === undefined) return undefined;
    try {
      return JSON.parse(String(x));
    } catch (e) {
      issues.error({
        code: 'bca.xlsx.json',
        file,
        line,
        column: where,
        message: `${where}: ${(e as Error).message}`,
      });
      return undefined;
    }
  };
  const meta = Object.fromEntries(
    sheetRows(wb.getWorksheet('scenario')).map(({ v }) => [String(v.key), v.value]),
  );
  const projects = new Map<string, Record<string, unknown> & { alternatives: Record<string, unknown>[] }>();
  for (const { line, v } of sheetRows(wb.getWorksheet('projects'))) {
    const id = String(v.project_id);
    const p = projects.get(id) ?? {
      id,
      title: str(v.title),
      sponsor: str(v.sponsor),
      category: str(v.category),
      committed: bool(v.committed),
      requires: list(v.requires, ','),
      unquantified: list(v.unquantified, ';'),
      alternatives: [],
    };
    p.alternatives.push({
      id: str(v.alternative_id) ?? 'build',
      title: str(v.alternative_title) ?? str(v.title),
      residual: json(v.residual, 'residual', line),
      costs: [],
      effects: [],
    });
    projects.set(id, p);
  }
  const alt = (pid: unknown, aid: unknown, sheet: string, line: number) => {
    const a = projects.get(String(pid))?.alternatives.find((x) => x.id === (str(aid) ?? 'build'));
    if (!a) {
      issues.error({
        code: 'bca.xlsx.ref',
        file,
        line,
        message: `${sheet}: ${pid}/${aid ?? 'build'} is not on the projects sheet`,
      });
    }
    return a as { costs: unknown[]; effects: unknown[] } | undefined;
  };
  for (const { line, v } of sheetRows(wb.getWorksheet('costs'))) {
    const to = numOrUndef(v.year_to);
    alt(v.project_id, v.alternative_id, 'costs', line)?.costs.push({
      type: v.type,
      ...(to === undefined ? { year: Number(v.year) } : { years: [Number(v.year), to] }),
      amount_usd: numOrNull(v.amount_usd),
      dollar_year: numOrUndef(v.dollar_year),
      yoe: bool(v.yoe),
      sunk: bool(v.sunk),
      fund: str(v.fund),
    });
  }
  for (const { line, v } of sheetRows(wb.getWorksheet('effects'))) {
    const e = json(v.json, 'json', line);
    if (e) alt(v.project_id, v.alternative_id, 'effects', line)?.effects.push(e);
  }
  const raw = {
    id: str(meta.id),
    title: str(meta.title),
    description: str(meta.description),
    agency: str(meta.agency),
    edition: str(meta.edition),
    base_year: numOrUndef(meta.base_year),
    dollar_year: numOrUndef(meta.dollar_year),
    discount_rate: numOrUndef(meta.discount_rate),
    selection: str(meta.selection),
    sensitivity: json(meta.sensitivity, 'sensitivity'),
    risk: json(meta.risk, 'risk'),
    price_forecast: json(meta.price_forecast, 'price_forecast'),
    budgets: sheetRows(wb.getWorksheet('budgets')).map(({ v }) => ({
      year: Number(v.year),
      fund: String(v.fund),
      amount_usd: Number(v.amount_usd),
    })),
    projects: [...projects.values()],
  };
  const r = ScenarioSchema.safeParse(raw);
  if (!r.success) {
    for (const i of r.error.issues)
      issues.error({ code: 'bca.scenario.schema', file, column: i.path.join('.'), message: i.message });
    return null;
  }
  return issues.hasErrors ? null : r.data;
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
    ['key', 'value'],
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
  add(
    'projects',
    [
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
    projects,
  );
  add(
    'costs',
    [
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
    costs,
  );
  add('effects', ['project_id', 'alternative_id', 'json'], effects);
  add(
    'budgets',
    ['year', 'fund', 'amount_usd'],
    sc.budgets.map((b) => ({ ...b })),
  );
  await wb.xlsx.writeFile(path);
}
