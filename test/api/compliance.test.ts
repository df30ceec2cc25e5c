// The federal package: the measure and target table (CSV, Excel) and the system performance
// report (PDF), each number carrying its lineage; targets set by staff drive met / not met.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, demoApp } from './demo-app';

let env: Awaited<ReturnType<typeof demoApp>>;
beforeAll(async () => {
  env = await demoApp();
});
afterAll(() => env.ctx.cleanup());

const get = (file: string) =>
  env.app.request(`/api/v1/staff/compliance/${file}`, { headers: bearer('analyst') });

function parseCsv(text: string) {
  const rows: string[][] = [];
  for (const line of text.trim().split('\r\n')) {
    const cells: string[] = [];
    let cur = '';
    let q = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (q) {
        if (ch === '"' && line[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (ch === '"') q = false;
        else cur += ch;
      } else if (ch === '"') q = true;
      else if (ch === ',') {
        cells.push(cur);
        cur = '';
      } else cur += ch;
    }
    cells.push(cur);
    rows.push(cells);
  }
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i] ?? ''])));
}

describe('compliance package', () => {
  it('the measure table has every federal measure, the region non-SOV share and its lineage', async () => {
    const res = await get('measures.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('measures.csv');
    const rows = parseCsv(await res.text());
    expect(rows.map((r) => r.rule)).toEqual([
      '23 CFR 490.507(a)(1)',
      '23 CFR 490.507(a)(2)',
      '23 CFR 490.607',
      '23 CFR 490.707(a)',
      '23 CFR 490.707(b)',
    ]);
    const nonSov = rows.find((r) => r.measure_id === 'pm3_non_sov')!;
    // Independently: all counties' workers and drivers-alone for 2024 from the published table.
    const data = (await (
      await env.app.request('/api/v1/datasets/acs_b08301/tables/acs_commute_mode/rows?year=2024&limit=100')
    ).json()) as { rows: { workers: number; drove_alone: number }[] };
    const w = data.rows.reduce((n, r) => n + r.workers, 0);
    const d = data.rows.reduce((n, r) => n + r.drove_alone, 0);
    expect(Number(nonSov.latest)).toBeCloseTo(Math.round((1000 * (w - d)) / w) / 10, 6);
    expect(nonSov.latest_year).toBe('2024');
    expect(nonSov.status).toBe('no target');
    const version = (
      (await (await env.app.request('/api/v1/datasets/acs_b08301')).json()) as { current_version: string }
    ).current_version;
    expect(nonSov.inputs).toBe(`acs_b08301@${version}`);
    expect(nonSov.queries).toMatch(/^acs_non_sov_share#[0-9a-f]{12}$/);
    expect(rows.find((r) => r.measure_id === 'pm3_tttr')!.status).toBe('not computed');
  });

  it('targets set by staff decide met / not met, and the change is audit-logged', async () => {
    const put = (targets: unknown[]) =>
      env.app.request('/api/v1/staff/compliance/targets', {
        method: 'PUT',
        body: JSON.stringify({ targets }),
        headers: { ...bearer('analyst'), 'content-type': 'application/json' },
      });
    expect(
      (
        await put([
          {
            measure_id: 'pm3_non_sov',
            performance_period: '2022-2025',
            baseline_year: 2021,
            target_2yr: 30,
            target_4yr: 99,
          },
        ])
      ).status,
    ).toBe(200);
    let rows = parseCsv(await (await get('measures.csv')).text());
    let row = rows.find((r) => r.measure_id === 'pm3_non_sov')!;
    expect(row.status).toBe('not met');
    expect(Number(row.baseline)).toBeGreaterThan(0); // from the 2021 value
    expect(
      (await put([{ measure_id: 'pm3_non_sov', performance_period: '2022-2025', target_4yr: 20 }])).status,
    ).toBe(200);
    rows = parseCsv(await (await get('measures.csv')).text());
    row = rows.find((r) => r.measure_id === 'pm3_non_sov')!;
    expect(row.status).toBe('met');
    expect((await put([{ measure_id: 'BAD ID', performance_period: '2022' }])).status).toBe(400);
    const audit = (await (
      await env.app.request('/api/v1/staff/audit', { headers: bearer('admin') })
    ).json()) as { events: { action: string; user: string }[] };
    expect(audit.events.filter((e) => e.action === 'set_targets')).toHaveLength(2);
    expect(audit.events.some((e) => e.action === 'export' && e.user === 'analyst-user')).toBe(true);
  });

  it('the compliance page edits targets with a plain form', async () => {
    const page = await (await env.app.request('/staff/compliance', { headers: bearer('analyst') })).text();
    expect(page).toContain('name="pm3_non_sov.target_4yr"');
    const form = new URLSearchParams({
      'pm3_non_sov.period': '2026-2029',
      'pm3_non_sov.target_2yr': '36',
      'pm3_non_sov.target_4yr': '37.5',
    });
    const res = await env.app.request('/staff/compliance/targets', {
      method: 'POST',
      body: form,
      headers: { ...bearer('analyst'), 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(303);
    const row = parseCsv(await (await get('measures.csv')).text()).find(
      (r) => r.measure_id === 'pm3_non_sov',
    )!;
    expect([row.performance_period, row.target_2yr, row.target_4yr, row.status]).toEqual([
      '2026-2029',
      '36',
      '37.5',
      'met',
    ]);
    const bad = await env.app.request('/staff/compliance/targets', {
      method: 'POST',
      body: new URLSearchParams({ 'pm3_non_sov.period': 'soon' }),
      headers: { ...bearer('analyst'), 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(bad.status).toBe(400);
  });

  it('the Excel workbook holds the table, the history and the lineage', async () => {
    const res = await get('measures.xlsx');
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['Measures and targets', 'Yearly values', 'Lineage']);
    const table = wb.getWorksheet('Measures and targets')!;
    const header = table.getRow(3).values as unknown[];
    expect(header).toContain('measure_id');
    const ids: unknown[] = [];
    table.eachRow((r, n) => n > 3 && ids.push(r.getCell(1).value));
    expect(ids).toContain('pm3_non_sov');
    const history = wb.getWorksheet('Yearly values')!;
    expect(history.rowCount).toBe(1 + 9); // nine ACS years
    const lineage = wb.getWorksheet('Lineage')!;
    expect(lineage.getRow(2).getCell(2).value).toBe('commute_mode');
  });

  it('the system performance report is a PDF', async () => {
    const res = await get('system-performance-report.pdf');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const buf = Buffer.from(await res.arrayBuffer());
    expect(buf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(buf.length).toBeGreaterThan(2000);
    expect(buf.subarray(-6).toString()).toContain('%%EOF');
  });

  it('the HPMS file says what is missing instead of failing', async () => {
    const res = await get('hpms-pm3.txt?state_code=6');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { message: string }).message).toMatch(/no PM3 results/);
  });
});
