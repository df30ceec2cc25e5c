// Every report format of a run, written beside the CSV outputs.
import { join } from 'node:path';
import type { BcaRun } from '../model';
import { writeHtmlReport } from './html';
import { writePdfReport } from './pdf';
import { writeXlsxReport } from './xlsx';

export async function writeReports(run: BcaRun, out: string): Promise<string[]> {
  const html = join(out, 'report.html');
  const pdf = join(out, 'report.pdf');
  const xlsx = join(out, 'report.xlsx');
  writeHtmlReport(run, html);
  await writePdfReport(run, pdf);
  await writeXlsxReport(run, xlsx);
  return [html, pdf, xlsx];
}
