// pm3_summary.json: the region's measures as FHWA reports them (percent to one decimal, TTTR
// index to two, PHED per capita to one), plus the counts an analyst needs to trust them.
import { type Db, queryRows } from '../../engine/duckdb';

export async function pm3Summary(db: Db, run: { year: number; source: string; peakPm: string }) {
  const [region] = await queryRows<Record<string, number | null>>(
    db,
    `select * from pm3_measures where area_type = 'region'`,
  );
  const perCapita = await queryRows(db, `select * from pm3_phed_per_capita order by urban_code`);
  const [counts] = await queryRows<Record<string, number>>(
    db,
    `select count(*)::bigint as tmcs,
            count(*) filter (where nhs_system = 'interstate')::bigint as interstate_tmcs,
            count(*) filter (where nhs_system = 'non_interstate_nhs')::bigint as non_interstate_nhs_tmcs,
            count(*) filter (where nhs_system is not null and is_reliable is null)::bigint as nhs_tmcs_without_lottr,
            count(*) filter (where nhs_system is not null and lottr_periods between 1 and 3)::bigint as nhs_tmcs_missing_a_lottr_period,
            count(*) filter (where nhs_system = 'interstate' and tttr_max is null)::bigint as interstate_tmcs_without_tttr
     from pm3_tmc`,
  );
  const excluded = await queryRows<{ reason: string; n: number }>(
    db,
    `select excluded_reason as reason, count(*)::bigint as n from pm3_tmc where excluded_reason is not null group by 1 order by 1`,
  );
  const phed = await queryRows<{ status: string; n: number }>(
    db,
    `select phed_status as status, count(*)::bigint as n from pm3_tmc where nhs_system is not null and phed_status is not null group by 1 order by 1`,
  ).catch(() => []);
  const notes: string[] = [];
  if (counts?.nhs_tmcs_missing_a_lottr_period) {
    notes.push(
      `${counts.nhs_tmcs_missing_a_lottr_period} NHS TMCs lack travel times in some LOTTR period; they are judged on the periods they have.`,
    );
  }
  if (counts?.nhs_tmcs_without_lottr) {
    notes.push(
      `${counts.nhs_tmcs_without_lottr} NHS TMCs have no LOTTR at all and are left out of the reliability measures.`,
    );
  }
  const noLimit = phed.find((p) => p.status === 'no_speed_limit')?.n ?? 0;
  if (noLimit)
    notes.push(
      `${noLimit} urbanized-area NHS TMCs have no posted speed limit and no PHED (ingest --dataset speed_limits).`,
    );
  if (perCapita.length === 0)
    notes.push(
      'No urbanized-area population was given, so PHED per capita is not computed (ingest --dataset urbanized_area_population).',
    );
  return {
    year: run.year,
    source: run.source,
    peak_pm: run.peakPm,
    interstate_reliable_pmt_pct: region?.interstate_reliable_pmt_pct ?? null,
    non_interstate_reliable_pmt_pct: region?.non_interstate_reliable_pmt_pct ?? null,
    tttr_index: region?.tttr_index ?? null,
    phed_person_hours: region?.phed_person_hours ?? null,
    phed_hours_per_capita: perCapita,
    counts: {
      ...counts,
      excluded: Object.fromEntries(excluded.map((e) => [e.reason, e.n])),
      phed_status: Object.fromEntries(phed.map((p) => [p.status, p.n])),
    },
    notes,
  };
}
