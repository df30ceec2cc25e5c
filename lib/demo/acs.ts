// ACS B08301 files for the demo region, laid out as data.census.gov exports them (codes row,
// labels row, every value quoted, trailing comma), so the demo exercises the real reader.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO_COUNTIES, rng } from './region';

const CODES = Array.from({ length: 21 }, (_, i) => String(i + 1).padStart(3, '0'));
const LABELS: Record<string, string> = {
  '001': 'Total:',
  '002': 'Total:!!Car, truck, or van:',
  '003': 'Total:!!Car, truck, or van:!!Drove alone',
  '004': 'Total:!!Car, truck, or van:!!Carpooled:',
  '010': 'Total:!!Public transportation (excluding taxicab):',
  '016': 'Total:!!Taxicab',
  '017': 'Total:!!Motorcycle',
  '018': 'Total:!!Bicycle',
  '019': 'Total:!!Walked',
  '020': 'Total:!!Other means',
  '021': 'Total:!!Worked from home',
};

/** Years 2015–2024 without 2020 (the Census Bureau released no standard 1-year tables for 2020). */
export const DEMO_ACS_YEARS = [2015, 2016, 2017, 2018, 2019, 2021, 2022, 2023, 2024];

export async function generateAcsDemo(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const random = rng(8301);
  const paths: string[] = [];
  for (const year of DEMO_ACS_YEARS) {
    const head = ['GEO_ID', 'NAME', ...CODES.flatMap((c) => [`B08301_${c}E`, `B08301_${c}M`])];
    const labels = [
      'Geography',
      'Geographic Area Name',
      ...CODES.flatMap((c) => [
        `Estimate!!${LABELS[c] ?? `Total:!!${c}`}`,
        `Margin of Error!!${LABELS[c] ?? `Total:!!${c}`}`,
      ]),
    ];
    const lines = [head, labels].map((r) => `${r.map((v) => `"${v}"`).join(',')},`);
    for (const county of DEMO_COUNTIES) {
      const t = year - 2015;
      const covid = year >= 2021 ? (year === 2021 ? 0.09 : 0.06) : 0;
      const workers = Math.round(county.workers * (1 + 0.011 * t) * (0.99 + 0.02 * random()));
      const wfh = Math.round(workers * (0.045 + 0.003 * t + covid));
      const sov = Math.round(workers * (county.sov - 0.004 * t - covid * 0.8 + 0.01 * (random() - 0.5)));
      const transit = Math.round(workers * (county.sov < 0.7 ? 0.14 : 0.03) * (year === 2021 ? 0.7 : 1));
      const walk = Math.round(workers * 0.025);
      const bike = Math.round(workers * 0.008);
      const other = Math.round(workers * 0.012);
      const carpool = Math.max(0, workers - sov - wfh - transit - walk - bike - other);
      const est: Record<string, number> = {
        '001': workers,
        '002': sov + carpool,
        '003': sov,
        '004': carpool,
        '010': transit,
        '016': Math.round(other * 0.3),
        '017': Math.round(other * 0.2),
        '018': bike,
        '019': walk,
        '020': other - Math.round(other * 0.3) - Math.round(other * 0.2),
        '021': wfh,
      };
      const moe = (v: number) => Math.max(10, Math.round(1.645 * Math.sqrt(v) * 4.2));
      const values = CODES.flatMap((c) => {
        const v = est[c];
        return v === undefined ? ['null', 'null'] : [String(v), String(moe(v))];
      });
      lines.push(
        `${[`0500000US${county.fips}`, `${county.name}, Demo State`, ...values].map((v) => `"${v}"`).join(',')},`,
      );
    }
    const path = join(dir, `ACSDT1Y${year}.B08301-Data.csv`);
    await writeFile(path, `${lines.join('\n')}\n`);
    paths.push(path);
  }
  return paths;
}
