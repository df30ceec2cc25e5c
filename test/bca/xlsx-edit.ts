// A scenario written as the Excel template, edited as a planner would, then read back: the
// shared set-up of the messy-Excel tests.
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parseScenarioText } from '../../lib/bca/scenario';
import { readScenarioXlsx, writeScenarioXlsx } from '../../lib/bca/scenario-xlsx';
import { type Issue, IssueCollector } from '../../lib/ingest/issues';
import { tempCtx } from './helpers';

export async function editedWorkbook(yaml: string, edit: (wb: ExcelJS.Workbook) => void) {
  const { dir } = await tempCtx();
  const f = join(dir, 's.xlsx');
  await writeScenarioXlsx(parseScenarioText(yaml, 't.yaml').scenario!, f);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(f);
  edit(wb);
  await wb.xlsx.writeFile(f);
  const issues = new IssueCollector('bca');
  const scenario = await readScenarioXlsx(f, issues);
  return { scenario, issues: issues.issues, file: f };
}

export const errorsOf = (issues: Issue[]) => issues.filter((i) => i.severity === 'error');
