-- PM3 measures for the region and each sub-area (county, corridor, user TMC lists): reliable person-miles, TTTR index, PHED.
-- grain: area_type, area_id
-- inputs: pm3_segments, pm3_area_members
-- params: none
-- reference: 23 CFR 490.513(b)-(c), 490.613(b); FHWA-HIF-18-040 pp. 2-14 to 2-17
with segments as (
    select * from pm3_segments where nhs_system is not null
),

areas as (
    select 'region' as area_type, 'all' as area_id, tmc_code from segments
    union all
    select 'county', county, tmc_code from segments where county is not null
    union all
    select 'corridor', road, tmc_code from segments where road is not null
    union all
    select m.area_type, m.area_id, m.tmc_code from pm3_area_members as m
),

joined as (
    select a.area_type, a.area_id, s.*
    from areas as a
    join segments as s using (tmc_code)
),

sums as (
    select
        area_type,
        area_id,
        count(*) filter (where nhs_system = 'interstate') as interstate_segments,
        count(*) filter (where nhs_system = 'non_interstate_nhs') as non_interstate_segments,
        count(*) filter (where nhs_system = 'interstate' and is_reliable is null) as interstate_segments_without_lottr,
        count(*) filter (where nhs_system = 'non_interstate_nhs' and is_reliable is null) as non_interstate_segments_without_lottr,
        count(*) filter (where is_reliable is not null and lottr_periods < 4) as segments_missing_a_period,
        sum(person_miles) filter (where nhs_system = 'interstate' and is_reliable is not null) as interstate_pmt,
        sum(person_miles) filter (where nhs_system = 'interstate' and is_reliable) as interstate_reliable_pmt,
        sum(person_miles) filter (where nhs_system = 'non_interstate_nhs' and is_reliable is not null) as non_interstate_pmt,
        sum(person_miles) filter (where nhs_system = 'non_interstate_nhs' and is_reliable) as non_interstate_reliable_pmt,
        sum(segment_length) filter (where nhs_system = 'interstate' and tttr_max is not null) as interstate_tttr_miles,
        sum(segment_length * tttr_max) filter (where nhs_system = 'interstate' and tttr_max is not null) as tttr_weighted,
        sum(phed_person_hours) as phed_person_hours
    from joined
    group by area_type, area_id
),

final as (
    select
        area_type,
        area_id,
        -- Percent of person-miles reliable, to the tenth (490.513(b), (c))
        round(100 * coalesce(interstate_reliable_pmt, 0) / nullif(interstate_pmt, 0), 1) as interstate_reliable_pmt_pct,
        round(100 * coalesce(non_interstate_reliable_pmt, 0) / nullif(non_interstate_pmt, 0), 1) as non_interstate_reliable_pmt_pct,
        -- Length-weighted TTTR index, to the hundredth (490.613(b))
        round(tttr_weighted / nullif(interstate_tttr_miles, 0), 2) as tttr_index,
        round(phed_person_hours, 3) as phed_person_hours,
        interstate_segments,
        non_interstate_segments,
        interstate_segments_without_lottr,
        non_interstate_segments_without_lottr,
        segments_missing_a_period,
        round(interstate_pmt, 1) as interstate_pmt,
        round(interstate_reliable_pmt, 1) as interstate_reliable_pmt,
        round(non_interstate_pmt, 1) as non_interstate_pmt,
        round(non_interstate_reliable_pmt, 1) as non_interstate_reliable_pmt,
        round(interstate_tttr_miles, 3) as interstate_tttr_miles
    from sums
)

select * from final
