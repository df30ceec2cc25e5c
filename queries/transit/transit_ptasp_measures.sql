-- PTASP safety performance measures per agency, modal group, year and measure: the 14 measures of
-- the 2024 National Public Transportation Safety Plan (data/transit/nsp_measures.csv), each with
-- its numerator and denominator (VRM visible), the year's value, the three-year rolling value,
-- the agency's target and whether the year's value meets it. A measure appears only for years
-- whose numerator is known.
-- grain: agency, mode, year, measure
-- inputs: int_ptasp__annual, nsp_measures
-- reference: 49 CFR 673.11(a)(3) and (a)(7)(iii); National Public Transportation Safety Plan, 89 FR 25316 (2024) pp. 25317-25324; data/transit/README.md
with annual as (
    select * from int_ptasp__annual
),

measures as (
    select * from nsp_measures
),

amounts as (
    select agency, mode, year,
        vrm::double as vrm, major_mechanical_failures::double as major_mechanical_failures,
        fatalities::double as fatalities, injuries::double as injuries, major_events::double as major_events,
        collisions::double as collisions, pedestrian_collisions::double as pedestrian_collisions,
        vehicular_collisions::double as vehicular_collisions,
        transit_worker_fatalities::double as transit_worker_fatalities,
        transit_worker_injuries::double as transit_worker_injuries,
        assaults_on_transit_workers::double as assaults_on_transit_workers
    from annual
),

-- every quantity a measure can use, one row each, so the measure table (not SQL) says which
-- quantity is a numerator or a denominator
quantities as (
    from amounts unpivot include nulls (amount for quantity in (
        vrm, major_mechanical_failures, fatalities, injuries, major_events, collisions,
        pedestrian_collisions, vehicular_collisions, transit_worker_fatalities, transit_worker_injuries,
        assaults_on_transit_workers
    ))
),

-- targets are columns named target_<measure_id> (lib/datasets/ntd-ptasp.ts)
target_values as (
    select agency, mode, year, columns('^target_')::double from annual
),

targets as (
    from target_values unpivot include nulls (target for target_column in (
        target_fatalities, target_fatality_rate, target_transit_worker_fatality_rate, target_injuries,
        target_injury_rate, target_transit_worker_injury_rate, target_major_events, target_major_event_rate,
        target_collision_rate, target_pedestrian_collision_rate, target_vehicular_collision_rate,
        target_assaults_on_transit_workers, target_assault_on_transit_worker_rate, target_mdbf
    ))
),

yearly as (
    select
        annual.agency, annual.mode, annual.year, annual.count_source,
        measures.measure_id as measure, measures.title, measures.kind, measures.srrp, measures.unit,
        measures.better,
        -- the agency's own rate unit when it gave one (rate_per_vrm), else the table's 100,000
        case when measures.kind = 'rate' then coalesce(annual.rate_per_vrm, measures.multiplier) else measures.multiplier end as multiplier,
        measures.numerator as numerator_quantity, num.amount as numerator,
        nullif(measures.denominator, '') as denominator_quantity, den.amount as denominator,
        targets.target
    from annual
    cross join measures
    left join quantities as num
        on num.agency = annual.agency and num.mode = annual.mode and num.year = annual.year
        and num.quantity = measures.numerator
    left join quantities as den
        on den.agency = annual.agency and den.mode = annual.mode and den.year = annual.year
        and den.quantity = measures.denominator
    left join targets
        on targets.agency = annual.agency and targets.mode = annual.mode and targets.year = annual.year
        and targets.target_column = 'target_' || measures.measure_id
    -- a row needs the counted quantity (the event count; for MDBF the failures), not just the
    -- VRM exposure, so a missing VRM still shows the count with an empty rate
    where (case when measures.numerator = 'vrm' then den.amount else num.amount end) is not null
),

-- rates use VRM, "service provided", not UPT (p. 25322); the multiplier is not a number of the
-- notice: 100,000 (nsp_measures.csv) unless the agency gave its own (rate_per_vrm)
valued as (
    select *,
        case
            when denominator_quantity is null then numerator
            else numerator / nullif(denominator, 0) * multiplier
        end as value
    from yearly
),

-- SRRP targets must be set on a three-year rolling average of NTD data (49 U.S.C. 5329(d)(4)(A),
-- p. 25317; 49 CFR 673.11(a)(7)(iii)(A)) and only once three years were reported (…(C)); the
-- rolling value is given for every measure, since other targets may use any method (p. 25324).
-- How to average a rate is not said: ours pools the three years (sum of numerators over sum of
-- denominators), so a year with more service weighs more; counts are the mean of the three years.
rolling as (
    select *,
        count(numerator) over w as years_in_window,
        count(denominator) over w as denominators_in_window,
        sum(numerator) over w as numerator_3yr,
        sum(denominator) over w as denominator_3yr
    from valued
    window w as (partition by agency, mode, measure order by year range between 2 preceding and current row)
),

final as (
    select
        agency, mode, year, measure, title, kind, srrp, count_source,
        numerator_quantity, numerator, denominator_quantity, denominator, multiplier,
        round(value, 4) as value,
        case when kind = 'rate' then 'per ' || format('{:,}', multiplier::bigint) || ' VRM' else unit end as unit,
        case
            when years_in_window < 3 then null
            when denominator_quantity is null then round(numerator_3yr / 3, 4)
            when denominators_in_window < 3 then null
            else round(numerator_3yr / nullif(denominator_3yr, 0) * multiplier, 4)
        end as rolling_3yr,
        target,
        case
            when target is null or value is null then null
            when better = 'higher' then value >= target
            else value <= target
        end as target_met
    from rolling
)

select * from final
