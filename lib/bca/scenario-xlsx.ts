// A scenario as an Excel workbook, for staff who keep the TIP in a spreadsheet. Sheets:
//   scenario   key | value            (id, title, edition, base_year, dollar_year, discount_rate, selection)
//   projects   project_id | alternative_id | title | sponsor | category | committed
//   costs      project_id | alternative_id | type | year | amount_usd | dollar_year | fund
//   effects    project_id | alternative_id | json   (one effect object per row, as in YAML)
//   budgets    year | fund | amount_usd
// Every row becomes the same object the YAML reader builds, then passes the same schema.
import ExcelJS from 'exceljs';
import type { IssueCollector } from '../ingest/issues';
import { type Scenario, ScenarioSchema } from './scenario';

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
      const val = c.value && typeof c.value === 'object' && 'result' in c.value ? c.value.result : c.value;
      v[h] = val;
    });
    if (Object.keys(v).length) out.push({ line: n, v });
  });
  return out;
}

const str = (x: unknown) => (x === null || x === undefined || x === '' ? undefined : String(x));
const numOrNull = (x: unknown) => (x === null || x === undefined || x === '' ? null : Number(x));

export async function readScenarioXlsx(file: string, issues: IssueCollector): Promise<Scenario | null> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const meta = Object.fromEntries(
    sheetRows(wb.getWorksheet('scenario')).map(({ v }) => [String(v.key), v.value]),
  );
  const projects = new Map<string, Record<string, unknown> & { alternatives: Record<string, unknown>[] }>();
  for (const { v } of sheetRows(wb.getWorksheet('projects'))) {
    const id = String(v.project_id);
    const p = projects.get(id) ?? {
      id,
      title: str(v.title),
      sponsor: str(v.sponsor),
      category: str(v.category),
      committed: v.committed === true || v.committed === 'true',
      alternatives: [],
    };
    p.alternatives.push({
      id: str(v.alternative_id) ?? 'build',
      title: str(v.alternative_title) ?? str(v.title),
      costs: [],
      effects: [],
    });
    projects.set(id, p);
  }
  const alt = (pid: unknown, aid: unknown, sheet: string, line: number) => {
    const a = projects.get(String(pid))?.alternatives.find((x) => x.id === (str(aid) ?? 'build'));
    if (!a)
      issues.error({
        code: 'bca.xlsx.ref',
        file,
        line,
        message: `${sheet}: ${pid}/${aid ?? 'build'} is not on the projects sheet`,
      });
    return a as { costs: unknown[]; effects: unknown[] } | undefined;
  };
  for (const { line, v } of sheetRows(wb.getWorksheet('costs'))) {
    alt(v.project_id, v.alternative_id, 'costs', line)?.costs.push({
      type: v.type,
      year: Number(v.year),
      amount_usd: numOrNull(v.amount_usd),
      dollar_year: v.dollar_year ? Number(v.dollar_year) : undefined,
      fund: str(v.fund),
    });
  }
  for (const { line, v } of sheetRows(wb.getWorksheet('effects'))) {
    try {
      alt(v.project_id, v.alternative_id, 'effects', line)?.effects.push(JSON.parse(String(v.json)));
    } catch (e) {
      issues.error({
        code: 'bca.xlsx.effect',
        file,
        line,
        column: 'json',
        message: `effects: ${(e as Error).message}`,
      });
    }
  }
  const raw = {
    id: str(meta.id),
    title: str(meta.title),
    edition: str(meta.edition),
    base_year: meta.base_year === undefined ? undefined : Number(meta.base_year),
    dollar_year: meta.dollar_year === undefined ? undefined : Number(meta.dollar_year),
    discount_rate: meta.discount_rate === undefined ? undefined : Number(meta.discount_rate),
    selection: str(meta.selection),
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
